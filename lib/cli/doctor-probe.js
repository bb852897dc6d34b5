'use strict'
// doctor's probe, run as `<its own runtime> doctor-probe.js <json>` so that the real load, which can
// crash or hang the process making it, happens here. Prints one JSON line once warmup() returned or
// threw (fs.writeSync: out before anything can hang), then, after a WebAssembly call and a timer, a
// second: Bun before 1.4 hangs there when Go's signal changes were not repaired.

const fs = require('node:fs')

const print = (value) => fs.writeSync(1, `${JSON.stringify(value)}\n`)

/** SIGPIPE, SIGURG and SIGPWR as ignored / caught / default, from /proc/self/status; null off linux. */
function dispositions() {
  let status
  try {
    status = fs.readFileSync('/proc/self/status', 'utf8')
  } catch {
    return null
  }
  const mask = (field) => BigInt(`0x${new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1] ?? '0'}`)
  const [ignored, caught] = [mask('SigIgn'), mask('SigCgt')]
  const bit = (signal) => 1n << BigInt(signal - 1)
  const state = (signal) => (ignored & bit(signal) ? 'ignored' : caught & bit(signal) ? 'caught' : 'default')
  return { SIGPIPE: state(13), SIGURG: state(23), SIGPWR: state(30) }
}

/** A function that loops 10,000 times and returns the count: enough to need the JIT's threads. */
const WASM = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 34, 1, 32, 1, 1, 127, 65, 0, 33, 0, 2, 64, 3, 64, 32, 0, 65, 1,
  106, 33, 0, 32, 0, 65, 144, 206, 0, 72, 13, 0, 11, 11, 32, 0, 11,
])

const { choice, liveness } = JSON.parse(process.argv[2])
const before = dispositions()
const api = require('../api.js')
let status = null
let error = null
try {
  status = api.warmup({ ...choice, force: true })
} catch (err) {
  error = { code: err.code ?? null, message: err.message }
  status = api.status()
}
print({ step: 'warmed', status, error, signals: { before, after: dispositions() } })
if (liveness) {
  new WebAssembly.Instance(new WebAssembly.Module(WASM)).exports.f()
  setTimeout(() => print({ step: 'alive' }), 20)
}
