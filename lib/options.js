'use strict'
// Turns warmup() options and ASHERAH_WARMUP_* variables into the addon's request. Every bad
// value is rejected here, naming the setting and the fix, before anything is loaded.

// node:path and ./errors are required where used: this file is on Bun's startup path, and
// Bun initialises node:path lazily at a cost of about a millisecond.

const MODES = ['auto', 'always', 'never']
const OPTION_NAMES = ['library', 'sha256', 'force']

function invalid(message) {
  const { CODES, warmupError } = require('./errors')
  return warmupError(CODES.INVALID_OPTION, message)
}

/** `ASHERAH_WARMUP`: auto (warm up under Bun only, the default), always, or never. */
function warmupMode(env = process.env) {
  const raw = env.ASHERAH_WARMUP
  if (!raw) return 'auto'
  const mode = raw.trim().toLowerCase()
  if (!MODES.includes(mode)) {
    throw invalid(`ASHERAH_WARMUP=${JSON.stringify(raw)} is not one of ${MODES.join(', ')}. Fix: set one of those, or unset it (auto).`)
  }
  return mode
}

function checkOptions(options) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(`warmup() options must be an object, got ${typeof options}.`)
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw invalid(`unknown warmup() option ${JSON.stringify(key)}. Known options: ${OPTION_NAMES.join(', ')}.`)
    }
  }
  if (options.force !== undefined && typeof options.force !== 'boolean') {
    throw invalid(`the force option must be a boolean, got ${JSON.stringify(options.force)}.`)
  }
  return options
}

function libraryChoice(options, env) {
  if (options.library !== undefined) {
    if (typeof options.library !== 'string' || options.library === '') {
      throw invalid(`the library option must be a non-empty path string, got ${JSON.stringify(options.library)}.`)
    }
    return { library: require('node:path').resolve(options.library), librarySource: 'option' }
  }
  const fromEnv = env.ASHERAH_WARMUP_LIBRARY
  if (fromEnv) {
    const path = require('node:path')
    if (!path.isAbsolute(fromEnv)) {
      throw invalid(
        `ASHERAH_WARMUP_LIBRARY=${JSON.stringify(fromEnv)} is a relative path; it must be absolute, since the working directory of a process is not a stable anchor. Fix: use ${JSON.stringify(path.resolve(fromEnv))} or unset it.`,
      )
    }
    return { library: fromEnv, librarySource: 'env' }
  }
  return {}
}

/** The pinned digest, as given; the addon validates it (src/verify.rs) like a sums file's. */
function pinnedDigest(options, env) {
  if (options.sha256 !== undefined) {
    if (typeof options.sha256 !== 'string') {
      throw invalid(`the sha256 option must be a string of 64 hexadecimal characters, got ${JSON.stringify(options.sha256)}.`)
    }
    return { sha256: options.sha256, sha256Source: 'option' }
  }
  if (env.ASHERAH_WARMUP_SHA256) return { sha256: env.ASHERAH_WARMUP_SHA256, sha256Source: 'env' }
  return {}
}

const SWITCH = { on: ['1', 'true', 'on'], off: ['0', 'false', 'off'] }

/** `ASHERAH_WARMUP_SIGNAL_REPAIR`: on (the default) or off, as 1/true/on or 0/false/off. */
function signalRepairEnabled(env = process.env) {
  const raw = env.ASHERAH_WARMUP_SIGNAL_REPAIR
  if (!raw) return true
  const value = raw.trim().toLowerCase()
  if (SWITCH.off.includes(value)) return false
  if (SWITCH.on.includes(value)) return true
  throw invalid(
    `ASHERAH_WARMUP_SIGNAL_REPAIR=${JSON.stringify(raw)} is not one of ${[...SWITCH.off, ...SWITCH.on].join(', ')}. Fix: set 0 (or false, off) to turn the signal repair off, or unset it.`,
  )
}

/** The validated options, and the library and digest choice they make for the addon. */
function parseWarmupOptions(options, env = process.env) {
  const checked = checkOptions(options)
  return {
    force: checked.force === true,
    choice: { ...libraryChoice(checked, env), ...pinnedDigest(checked, env) },
  }
}

module.exports = { warmupMode, parseWarmupOptions, signalRepairEnabled }
