'use strict'
// The codes (from lib/runtime.js) and the JS layer's errors; the addon's follow suit (src/error.rs).
const { CODES } = require('./runtime.js')

const warmupError = (code, message, cause) => Object.assign(new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined), { code })

module.exports = { CODES, warmupError }
