'use strict'
// The error codes every failure carries (the addon's come from src/error.rs), and the JS layer's
// errors, worded like the addon's. A literal: built from a list at load it cost Bun 0.13 ms
// (bench/README.md).

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
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL',
})

/** `asherah-warmup: <message>`, with a `code`. */
const warmupError = (code, message, cause) => Object.assign(new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined), { code })

module.exports = { CODES, warmupError }
