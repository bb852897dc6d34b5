'use strict'
// doctor's probe: the real load, which can crash or hang its process, in a child. Prints { warmed } (fs.writeSync:
// out before anything can hang), then { alive } after a WebAssembly call and a timer, where Bun before 1.4 hangs
// if Go's signal changes were not repaired. Each on a line of its own, after doctor's tag, whatever a preload printed.

const fs = require('node:fs')
const { signals } = require('node:os').constants

const { choice, tag } = JSON.parse(process.argv[2])
const print = (value) => fs.writeSync(1, `\n${tag}${JSON.stringify(value)}\n`)

/** SIGPIPE, SIGURG and SIGPWR as ignored / caught / default, from /proc/self/status; null off linux. */
function dispositions() {
  if (!fs.existsSync('/proc/self/status')) return null
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const [ignored, caught] = ['SigIgn', 'SigCgt'].map((field) => BigInt(`0x${new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1] ?? '0'}`))
  const state = (bit) => (ignored & bit ? 'ignored' : caught & bit ? 'caught' : 'default')
  return Object.fromEntries(['SIGPIPE', 'SIGURG', 'SIGPWR'].map((name) => [name, state(1n << BigInt(signals[name] - 1))]))
}

/** A function that loops 10,000 times and returns the count: enough to need the JIT's threads. */
const WASM = Buffer.from('AGFzbQEAAAABBQFgAAF/AwIBAAcFAQFmAAAKIgEgAQF/QQAhAAJAA0AgAEEBaiEAIABBkM4ASA0ACwsgAAs=', 'base64')

const before = dispositions()
const api = require('../api.js')
let error = null
try {
  api.warmup({ ...choice, force: true })
} catch (err) {
  error = { code: err.code ?? null, message: err.message }
}
print({ warmed: { warmup: api.status(), error, signals: { before, after: dispositions() } } })
new WebAssembly.Instance(new WebAssembly.Module(WASM)).exports.f()
setTimeout(() => print({ alive: true }), 20)
