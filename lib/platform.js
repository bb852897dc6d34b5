'use strict'
// The platform names for the tools and tests; they live in lib/runtime.js, the one file of rules a
// require loads.
const { GO_WARMUP_FILES, sumsFileName, libraryName, packageTriple } = require('./runtime.js')
module.exports = { GO_WARMUP_FILES, sumsFileName, libraryName, packageTriple }
