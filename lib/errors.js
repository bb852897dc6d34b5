'use strict'
// Errors raised by the JS layer. The addon raises the others (NOT_FOUND, LOAD_FAILED,
// SYMBOL_MISSING, CHECKSUM_MISMATCH, BAD_RESULT) with the same `code` convention.

const CODES = Object.freeze({
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM',
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED',
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT',
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION',
})

function warmupError(code, message, cause) {
  const err = new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined)
  err.code = code
  return err
}

module.exports = { CODES, warmupError }
