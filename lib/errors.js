'use strict'
// The error codes (kept in lib/runtime.js, which every require loads) and the errors the JS layer
// raises; the addon raises the others with the same `code` convention (src/error.rs).
const { CODES } = require('./runtime.js')

const warmupError = (code, message, cause) => Object.assign(new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined), { code })

module.exports = { CODES, warmupError }
