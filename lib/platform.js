'use strict'
// The platform names for the tools and tests; lib/runtime.js, which every require loads, has them.
const { sumsFileName, libraryName, packageTriple } = require('./runtime.js')
module.exports = { sumsFileName, libraryName, packageTriple }
