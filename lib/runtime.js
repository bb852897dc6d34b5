'use strict'
// What this runtime needs: which runtime it is, whether it needs a warmup, and whether Bun's
// signal handlers need the repair after a Go load. The one place these rules live.

const options = () => require('./options.js')

/** Which runtime this is, from its own globals; Bun and Deno also set process.versions.node. */
function detectRuntime() {
  if (typeof Bun !== 'undefined' && process.versions.bun) return { name: 'bun', version: process.versions.bun }
  if (typeof Deno !== 'undefined' && Deno.version) return { name: 'deno', version: Deno.version.deno }
  if (process.release?.name === 'node') return { name: 'node', version: process.versions.node }
  return { name: 'unknown', version: null }
}

const runtime = detectRuntime()

function needsWarmup() {
  // ASHERAH_WARMUP: auto (the default: Bun only), always or never; validated in lib/options.js.
  const mode = process.env.ASHERAH_WARMUP ? options().warmupMode() : 'auto'
  return mode === 'always' || (mode === 'auto' && runtime.name === 'bun')
}

/** needsWarmup() that never throws: an invalid ASHERAH_WARMUP is left for warmup() to report. */
function neededOrFalse() {
  try {
    return needsWarmup()
  } catch {
    return false
  }
}

/** Where Go's changes to the signal handlers hang the runtime, so there is something to repair. */
function signalRepairSupported() {
  return runtime.name === 'bun' && process.platform === 'linux'
}

/** The automatic signal repair: where supported, unless ASHERAH_WARMUP_SIGNAL_REPAIR turns it off. */
function signalRepairApplies() {
  return signalRepairSupported() && (!process.env.ASHERAH_WARMUP_SIGNAL_REPAIR || options().signalRepairEnabled())
}

module.exports = { runtime, detectRuntime, needsWarmup, neededOrFalse, signalRepairSupported, signalRepairApplies }
