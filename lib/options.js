'use strict'
// Turns warmup() options and ASHERAH_WARMUP_* variables into decisions and the addon's request,
// rejecting every bad value with the setting and the fix before anything is loaded.

const fs = require('node:fs')
const path = require('node:path')
const { CODES, warmupError } = require('./codes.js')
const { repairsSignals } = require('./platforms.js')

const OPTION_NAMES = ['library', 'sha256', 'force']
const invalid = (message) => warmupError(CODES.INVALID_OPTION, message)

/** A switch's value as every reading takes it: case and spaces aside, '' when unset. */
const setting = (name) => (process.env[name] ?? '').trim().toLowerCase()

/** The values that turn an on/off switch off (ASHERAH_WARMUP_SIGNAL_REPAIR, ASHERAH_VERBOSE); 1/true/on keep it on. */
const OFF = ['0', 'false', 'off']

/** An ASHERAH_WARMUP_* switch: one of `words`, or null when unset. */
function word(name, words, fix) {
  const raw = process.env[name]
  if (!raw) return null
  const value = setting(name)
  if (words.includes(value)) return value
  throw invalid(`${name}=${JSON.stringify(raw)} is not one of ${words.join(', ')}. Fix: ${fix}`)
}

/** `ASHERAH_WARMUP`: auto (warm up under Bun only, the default), always, or never. */
const warmupMode = () => word('ASHERAH_WARMUP', ['auto', 'always', 'never'], 'set one of those, or unset it (auto).') ?? 'auto'

/** Whether this runtime and ASHERAH_WARMUP (auto: Bun only; always; never) call for a warmup. */
function needsWarmup() {
  const mode = warmupMode()
  return mode === 'always' || (mode === 'auto' && typeof Bun !== 'undefined')
}

/** needsWarmup() that never throws: an invalid ASHERAH_WARMUP is left for warmup() to report. */
function neededOrFalse() {
  try {
    return needsWarmup()
  } catch {
    return false
  }
}

/** Bun where Go's runtime start upsets its signal handlers. */
const repairSupported = typeof Bun !== 'undefined' && repairsSignals()

/**
 * The automatic signal repair: where supported, unless `ASHERAH_WARMUP_SIGNAL_REPAIR` turns it off (0/false/off; 1/true/on, the default,
 * keeps it). Validated everywhere, so that doctor under Node or on macOS does not pass a value a Bun require on linux refuses.
 */
function signalRepairApplies() {
  const value = word('ASHERAH_WARMUP_SIGNAL_REPAIR', [...OFF, '1', 'true', 'on'], 'set 0 (or false, off) to turn the signal repair off, or unset it.')
  return repairSupported && !OFF.includes(value)
}

/** Whether ASHERAH_VERBOSE asks for the line: set, and not off as ASHERAH_WARMUP_SIGNAL_REPAIR would be. */
const verbose = () => !['', ...OFF].includes(setting('ASHERAH_VERBOSE'))

/**
 * Whether a require with settings repairs from now on, decided before any setting can throw (an app may catch that and carry on
 * to load asherah): where supported, unless ASHERAH_WARMUP is never or ASHERAH_WARMUP_SIGNAL_REPAIR turns it off; an invalid value repairs.
 */
const repairsAtRequire = () => repairSupported && setting('ASHERAH_WARMUP') !== 'never' && !OFF.includes(setting('ASHERAH_WARMUP_SIGNAL_REPAIR'))

/** The library chosen by the option, else by ASHERAH_WARMUP_LIBRARY (which must be absolute). */
function libraryChoice(library) {
  if (library !== undefined) return { library: path.resolve(library), librarySource: 'option' }
  const fromEnv = process.env.ASHERAH_WARMUP_LIBRARY
  if (!fromEnv) return {}
  if (path.isAbsolute(fromEnv)) return { library: fromEnv, librarySource: 'env' }
  throw invalid(
    `ASHERAH_WARMUP_LIBRARY=${JSON.stringify(fromEnv)} is a relative path; it must be absolute, since the working directory of a process is not a stable anchor. Fix: use ${JSON.stringify(path.resolve(fromEnv))} or unset it.`,
  )
}

/** The validated options, and the library and digest choice they make for the addon. */
function parseWarmupOptions(options) {
  const given = options ?? {}
  const known = `Fix: pass an object of ${OPTION_NAMES.join(', ')}, or no argument.`
  if (typeof given !== 'object' || Array.isArray(given))
    throw invalid(`warmup() options must be an object, got ${Array.isArray(given) ? 'an array' : typeof given}. ${known}`)
  const unknown = Object.keys(given).find((key) => !OPTION_NAMES.includes(key))
  if (unknown !== undefined) throw invalid(`unknown warmup() option ${JSON.stringify(unknown)}. ${known}`)
  const { force, library, sha256 } = given
  const bad = (name, what) => invalid(`the ${name} option must be ${what}, got ${JSON.stringify(given[name])}. Fix: pass ${what}, or leave it out.`)
  if (force !== undefined && typeof force !== 'boolean') throw bad('force', 'a boolean')
  if (library !== undefined && (typeof library !== 'string' || library === '')) throw bad('library', 'a non-empty path string')
  const choice = libraryChoice(library)
  if (sha256 !== undefined && typeof sha256 !== 'string') throw bad('sha256', 'a string of 64 hexadecimal characters')
  // The digest as given: the addon validates it (src/verify.rs) like a sums file's.
  if (sha256 !== undefined) Object.assign(choice, { sha256, sha256Source: 'option' })
  else if (process.env.ASHERAH_WARMUP_SHA256) Object.assign(choice, { sha256: process.env.ASHERAH_WARMUP_SHA256, sha256Source: 'env' })
  return { force: force === true, choice }
}

/**
 * asherah's package folder as a require from `file` would find it (for its downloaded lib/ copy, and doctor), folder by folder:
 * Node refuses to resolve asherah/package.json for 3.x, whose `exports` has only ".".
 */
function asherahFolder(file) {
  const folders = require('node:module').createRequire(file).resolve.paths('asherah') ?? []
  return folders.map((dir) => path.join(dir, 'asherah')).find((dir) => fs.existsSync(path.join(dir, 'package.json')))
}

module.exports = { asherahFolder, warmupMode, needsWarmup, neededOrFalse, repairSupported, signalRepairApplies, verbose, repairsAtRequire, parseWarmupOptions }
