'use strict'
// Which JavaScript runtime this is, from its own globals. Bun and Deno also define
// process.versions.node for compatibility, so they are asked first.

function detectRuntime() {
  if (typeof Bun !== 'undefined' && process.versions.bun) {
    return { name: 'bun', version: process.versions.bun }
  }
  if (typeof Deno !== 'undefined' && Deno.version) {
    return { name: 'deno', version: Deno.version.deno }
  }
  if (typeof process !== 'undefined' && process.release?.name === 'node') {
    return { name: 'node', version: process.versions.node }
  }
  return { name: 'unknown', version: null }
}

module.exports = { detectRuntime }
