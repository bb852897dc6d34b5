// The floor for the N-API route: the least an addon can do to start a Go runtime.
// warmup(path): dlopen(path, RTLD_NOW | RTLD_LOCAL), dlsym "Warmup", call it, return its int.
// No search, no checksum, no signal repair, no status object. The handle is never closed
// (a Go library must never be unloaded).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <node_api.h>

static napi_value warmup(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4096];
  size_t len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "warmup(path: string)");
    return NULL;
  }
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    napi_throw_error(env, NULL, dlerror());
    return NULL;
  }
  int (*fn)(void) = (int (*)(void))dlsym(handle, "Warmup");
  if (!fn) {
    napi_throw_error(env, NULL, "no Warmup symbol");
    return NULL;
  }
  napi_value result;
  napi_create_int32(env, fn(), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "warmup", NAPI_AUTO_LENGTH, warmup, NULL, &fn);
  napi_set_named_property(env, exports, "warmup", fn);
  return exports;
}
