'use strict'
// (b) asherah-node's way under Bun: bun:ffi dlopen of the go-warmup library, then Warmup().
// The report helper is required first, so the timed part never pays for the process's first require.
const report = require('./_report')
const t0 = performance.now()
const { dlopen, FFIType } = require('bun:ffi')
const result = dlopen(process.env.BENCH_LIB, { Warmup: { args: [], returns: FFIType.i32 } }).symbols.Warmup()
const t1 = performance.now()
if (result !== 1) throw new Error(`Warmup() returned ${result}`)
report(t0, t1 - t0)
