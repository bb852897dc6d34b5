// go-warmup: a Go c-shared library whose only job is to exist.
//
// Loading it (dlopen) and calling Warmup starts a Go runtime in the host process. Under Bun,
// asherah-node loads and calls it before requiring asherah.node, whose statically linked Go
// c-archive otherwise initialises in a process where no Go runtime has run yet (the crash the
// upstream proposal describes). This is the upstream asherah-cobhan go_warmup.go, unchanged in
// behaviour: one exported C symbol, `int Warmup(void)`, returning 1.
package main

import "C"

//export Warmup
func Warmup() C.int {
	return 1
}

func main() {}
