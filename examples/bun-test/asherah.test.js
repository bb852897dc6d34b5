'use strict'
// asherah inside `bun test`: the [test] preload in bunfig.toml warmed up before this file ran.
const { test, expect } = require('bun:test')
const asherah = require('asherah')
const { status } = require('asherah-warmup')

function roundTrip(text) {
  if (typeof asherah.roundTrip === 'function') return asherah.roundTrip(text)
  asherah.setup({ KMS: 'static', Metastore: 'memory', ServiceName: 'example-service', ProductID: 'example-product' })
  try {
    return asherah.decrypt_string('partition-1', asherah.encrypt_string('partition-1', text))
  } finally {
    asherah.shutdown()
  }
}

test('the [test] preload warmed up the Go runtime before asherah loaded', () => {
  const s = status()
  expect(s.warmed).toBe(true)
  expect(s.calls).toBe(1)
  expect(s.result).toBe(1)
})

test('asherah encrypts and decrypts inside bun test', () => {
  const text = `secret ${Date.now()}`
  expect(roundTrip(text)).toBe(text)
})

test('the event loop still runs after Go started (timers, WebAssembly)', async () => {
  // The smallest module with one export, f(): a loop that counts to 10000.
  const wasm = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 34, 1, 32, 1, 1, 127, 65, 0, 33, 0, 2, 64, 3, 64, 32, 0, 65, 1,
    106, 33, 0, 32, 0, 65, 144, 206, 0, 72, 13, 0, 11, 11, 32, 0, 11,
  ])
  expect(new WebAssembly.Instance(new WebAssembly.Module(wasm)).exports.f()).toBe(10000)
  await new Promise((resolve) => setTimeout(resolve, 20))
})
