'use strict'
// The error codes, and errors raised by the JS layer. The addon raises the others with the same
// `code` convention (src/error.rs).

const CODES = Object.freeze({
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM',
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED',
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT',
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION',
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID',
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED',
  REENTRANT: 'ERR_ASHERAH_WARMUP_REENTRANT',
})

function warmupError(code, message, cause) {
  const err = new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined)
  err.code = code
  return err
}

module.exports = { CODES, warmupError }
