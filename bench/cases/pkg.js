'use strict'
// Reference cases: require(<package named on the command line>) from node_modules, timed like
// require.js. The packages are made by startup.js (makeProject): one-line entries that isolate
// what a package entry, an exports map and the Rust addon cost on their own.
const report = require('./_report')
const t0 = performance.now()
require(process.argv[2])
const t1 = performance.now()
report(t0, t1 - t0)
