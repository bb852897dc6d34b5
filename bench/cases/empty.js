'use strict'
// (a) / Node empty: nothing between the two clock reads.
// The report helper is required first, so the timed part never pays for the process's first require.
const report = require('./_report')
const t0 = performance.now()
const t1 = performance.now()
report(t0, t1 - t0)
