'use strict'
// The error codes, and errors raised by the JS layer. The addon raises the others with the same
// `code` convention (src/error.rs).

// The codes themselves live in lib/runtime.js, which every require loads anyway.
const { CODES } = require('./runtime.js')

function warmupError(code, message, cause) {
  const err = new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined)
  err.code = code
  return err
}

module.exports = { CODES, warmupError }
