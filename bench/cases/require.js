'use strict'
// (d) / (e) / Node: require('asherah-warmup') by its package name, from node_modules, timed alone.
// `require.js status` (ds): the require and a first status() timed together (status() loads
// lib/api.js). With BENCH_ADDON (Bun's (d) and (e)), the addon's own settledStatus() is read after
// the timed part for the run's checks: the addon is loaded by then, and lib/api.js stays unloaded.
// The report helper is required first, so the timed part never pays for the process's first require.
const report = require('./_report')
const withStatus = process.argv[2] === 'status'
const t0 = performance.now()
const warmup = require('asherah-warmup')
const status = withStatus ? warmup.status() : null
const t1 = performance.now()
const s = status ?? (process.env.BENCH_ADDON ? require(process.env.BENCH_ADDON).settledStatus() : null)
report(t0, t1 - t0, s && { warmed: s.warmed, durationMs: s.durationMs, verification: s.verification, source: s.source, library: s.library })
