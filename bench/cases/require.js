'use strict'
// (d) / (e) / Node: require('asherah-warmup') by its package name, from node_modules.
// The report helper is required first, so the timed part never pays for the process's first require.
const report = require('./_report')
const t0 = performance.now()
const warmup = require('asherah-warmup')
const t1 = performance.now()
const s = warmup.status()
report(t0, t1 - t0, { warmed: s.warmed, durationMs: s.durationMs, verification: s.verification, source: s.source, library: s.library })
