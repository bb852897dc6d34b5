'use strict'
// doctor's probe, the real load in a child as it can crash or hang. Prints { warmed } by fs.writeSync (out before anything can hang), then { alive } after
// a WebAssembly call and a timer (Bun before 1.4 hangs there without the signal repair). Each on its own line after doctor's tag, as a preload may print too.

const fs = require('node:fs')
const { signals } = require('node:os').constants
const tag = process.argv[2]
const print = (value) => fs.writeSync(1, `\n${tag}${JSON.stringify(value)}\n`)

/** SIGPIPE, SIGURG and SIGPWR as ignored / caught / default, from /proc/self/status; null off linux. */
function dispositions() {
  if (!fs.existsSync('/proc/self/status')) return null
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const [ignored, caught] = ['SigIgn', 'SigCgt'].map((field) => BigInt(`0x${new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1] ?? '0'}`))
  const state = (bit) => (ignored & bit ? 'ignored' : caught & bit ? 'caught' : 'default')
  return Object.fromEntries(['SIGPIPE', 'SIGURG', 'SIGPWR'].map((name) => [name, state(1n << BigInt(signals[name] - 1))]))
}

const before = dispositions()
const api = require('../api.js')
let error = null
try {
  api.warmup({ force: true })
} catch (err) {
  error = { code: err.code ?? null, message: err.message }
}
print({ warmed: { warmup: api.status(), error, signals: { before, after: dispositions() } } })
// A function that loops 10,000 times and returns the count: enough to need the JIT's threads.
const WASM = Buffer.from('AGFzbQEAAAABBQFgAAF/AwIBAAcFAQFmAAAKIgEgAQF/QQAhAAJAA0AgAEEBaiEAIABBkM4ASA0ACwsgAAs=', 'base64')
new WebAssembly.Instance(new WebAssembly.Module(WASM)).exports.f()
setTimeout(() => print({ alive: true }), 20)
