'use strict'
// scripts/versions.env, the one place the pinned tools and the floors are written, read for the
// JS scripts (the shell scripts read it with native_pin in scripts/lib/native.sh).
const fs = require('node:fs')
const path = require('node:path')

/** KEY=value pairs of scripts/versions.env (quotes and trailing comments dropped). */
function versionsEnv(file = path.join(__dirname, '..', 'versions.env')) {
  const out = {}
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=("?)([^"#]*?)\2\s*(#.*)?$/.exec(line)
    if (m) out[m[1]] = m[3].trim()
  }
  return out
}

module.exports = { versionsEnv }
