'use strict'
// Required by the child programs (fixtures/children/, never by the test files): their arguments,
// and what a child reports about itself. Kept free of native code, so requiring it changes
// nothing the tests look at.
const fs = require('node:fs')
const path = require('node:path')

/** Every file mapped into this process, from /proc/self/maps (unique paths, in order). */
function mapped() {
  const files = new Set()
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 6) continue
    const file = fields
      .slice(5)
      .join(' ')
      .replace(/ \(deleted\)$/, '')
    if (file.startsWith('/')) files.add(file)
  }
  return [...files]
}

/** The child's arguments, each passed as JSON by helpers/child.js runChild. */
const args = () => process.argv.slice(2).map((arg) => JSON.parse(arg))

/**
 * The native files of interest: our addon (`asherah-warmup.<triple>.node`), any go-warmup
 * library (release name or a test fixture: `go-warmup-*`; a verified load maps a sealed memfd
 * copy, listed as `memfd:<name>`), and any other `.node` addon. null where there is no
 * /proc/self/maps (macOS): a test that reads it there fails instead of seeing nothing loaded.
 */
function natives() {
  if (!fs.existsSync('/proc/self/maps')) return null
  const files = mapped()
  return {
    addon: files.filter((f) => /^asherah-warmup\..*\.node$/.test(path.basename(f))),
    goWarmup: files.map((f) => f.replace(/^\/memfd:/, 'memfd:')).filter((f) => /^(memfd:)?go-warmup/.test(f) || path.basename(f).startsWith('go-warmup')),
    nodeAddons: files.filter((f) => f.endsWith('.node')),
  }
}

/** A thrown value as plain data: code, message, and whether it was a real Error. */
function describeError(err) {
  return {
    ok: false,
    isError: err instanceof Error,
    name: err?.name,
    code: err?.code,
    message: String(err?.message ?? err),
  }
}

/** Runs fn: { ok: true, value } or the error as data. Never throws. */
function attempt(fn) {
  try {
    return { ok: true, value: fn() }
  } catch (err) {
    return describeError(err)
  }
}

/** Writes one JSON line (the line runChild parses). */
function print(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/**
 * Prints `build()` after a timer turn, with `alive: true`: proof that the process kept running
 * and its event loop still turns after whatever the child did before.
 */
function finish(build) {
  setTimeout(() => print({ ...build(), alive: true, pid: process.pid }), 20)
}

module.exports = { args, mapped, natives, attempt, describeError, print, finish }
