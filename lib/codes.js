'use strict'
// The error codes every failure carries, and the JS layer's errors, worded like the addon's. CODES is written from
// scripts/lib/error-codes.js, which also writes src/error/code.rs; a literal: built at load it cost Bun 0.13 ms.

// BEGIN codes: written by scripts/sync-versions.js from scripts/lib/error-codes.js; do not edit
const CODES = Object.freeze({
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM',
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED',
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID',
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT',
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED',
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION',
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL',
})
const RAISE_FILE_LIMIT =
  "raise the open-files limit (`ulimit -n`, systemd's LimitNOFILE, docker run --ulimit nofile=...) or close the descriptors the app leaks"
// END codes

/** `asherah-warmup: <message>`, with a `code`. */
const warmupError = (code, message, cause) => Object.assign(new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined), { code })

module.exports = { CODES, RAISE_FILE_LIMIT, warmupError }
