'use strict'
// (c) the floor: a minimal C N-API addon doing dlopen(RTLD_NOW | RTLD_LOCAL) + Warmup(); with
// BENCH_FLOOR naming bench/build/napi-floor.node, the same work from a napi-rs addon (cn).
// The report helper is required first, so the timed part never pays for the process's first require.
const report = require('./_report')
const t0 = performance.now()
const result = require(process.env.BENCH_FLOOR).warmup(process.env.BENCH_LIB)
const t1 = performance.now()
if (result !== 1) throw new Error(`Warmup() returned ${result}`)
report(t0, t1 - t0)
