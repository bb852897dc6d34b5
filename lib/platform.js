'use strict'
// Platform names: the go-warmup release file for a platform, and the napi-rs triple of our
// platform package. Pure functions of (platform, arch, libc); nothing here touches the disk.
// They live in lib/runtime.js, the one file of rules a require loads (fewer files load faster
// under Bun); this module is their name for the tools and tests.
const { GO_WARMUP_FILES, sumsFileName, libraryName, packageTriple } = require('./runtime.js')

module.exports = { GO_WARMUP_FILES, sumsFileName, libraryName, packageTriple }
