'use strict'
// An ordinary asherah app: nothing in it knows about Bun or the warmup. bunfig.toml's preload
// has already run asherah-warmup/register by the time this file starts.
const asherah = require('asherah')
const { status } = require('asherah-warmup')

/** Encrypts and decrypts `text` (real asherah-node), or asks the test stand-in to. */
function roundTrip(text) {
  if (typeof asherah.roundTrip === 'function') return asherah.roundTrip(text)
  asherah.setup({
    KMS: 'static',
    Metastore: 'memory',
    ServiceName: 'example-service',
    ProductID: 'example-product',
    EnableSessionCaching: true,
  })
  try {
    return asherah.decrypt_string('partition-1', asherah.encrypt_string('partition-1', text))
  } finally {
    asherah.shutdown()
  }
}

const text = 'hello from a bunfig.toml preload'
const decrypted = roundTrip(text)
if (decrypted !== text) throw new Error(`round trip returned ${JSON.stringify(decrypted)}`)
// One JSON line: what happened, and what asherah-warmup did before it.
console.log(JSON.stringify({ example: 'bunfig-preload', roundTrip: true, warmup: status() }))
