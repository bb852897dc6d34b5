'use strict'
// The demo (README: `npm run demo`): what a Bun service sees when it loads asherah-node through
// asherah-warmup. The asherah.node here is the test stand-in: a real Go c-archive N-API addon.

const path = require('node:path')
const { wasmThenTimer } = require('./lib/wasm')

const started = performance.now()
const warmup = require('..')
const requireMs = performance.now() - started
const s = warmup.status()
const line = (label, value) => console.log(`  ${label.padEnd(22)} ${value}`)

console.log(`${s.runtime} ${s.runtimeVersion}`)
line('warmup needed', s.needed)
line('warmed', `${s.warmed} (Warmup() = ${s.result}, called ${s.calls}x)`)
line('library', s.library ? `${s.library} [${s.source}, ${s.verification}]` : '-')
line('require() took', `${requireMs.toFixed(2)} ms (warmup ${s.durationMs ? `${s.durationMs.toFixed(2)} ms` : '-'})`)
if (s.signals?.supported) {
  const hex = (n) => (n == null ? '-' : `0x${n.toString(16)}`)
  line('SIGPWR sa_flags', `${hex(s.signals.sigpwrFlagsBefore)} -> ${hex(s.signals.sigpwrFlagsAfter)} (SA_ONSTACK cleared: ${s.signals.sigpwrOnstackCleared})`)
  line('SIGPIPE ignored again', s.signals.sigpipeIgnoreRestored)
}

const asherah = require(path.join(process.env.DEMO_FIXTURES, 'node_modules', 'asherah'))
line('asherah.node Go', asherah.goRuntime())
line('AES-GCM round trip', JSON.stringify(asherah.roundTrip(`hello from ${s.runtime}`)))
line('system cert pool', `${asherah.certPoolSize()} certificates`)
wasmThenTimer().then(() => line('event loop after WASM', 'alive'))
