// measure CMD [ARGS...]: runs CMD once and prints, after it exits, one line
//   @@measure {"wall_us":<monotonic microseconds from fork to reaped>,"maxrss_kb":<peak RSS>,"status":<exit status or 128+signal>}
// on its own stdout (the child's stdout passes through unchanged before it). Peak RSS is the
// child's own ru_maxrss from wait4(), so this wrapper's memory is not counted.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: measure CMD [ARGS...]\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    perror("execvp");
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  long long wall_us = (long long)(end.tv_sec - start.tv_sec) * 1000000LL + (end.tv_nsec - start.tv_nsec) / 1000;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  fflush(stdout);
  printf("@@measure {\"wall_us\":%lld,\"maxrss_kb\":%ld,\"status\":%d}\n", wall_us, usage.ru_maxrss, code);
  return 0;
}
