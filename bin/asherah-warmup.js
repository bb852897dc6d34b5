#!/usr/bin/env node
'use strict'
// asherah-warmup <command> [args]: see lib/cli/index.js. Runs under Node and Bun.
const { main } = require('../lib/cli')

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    process.stderr.write(`asherah-warmup: internal error: ${(err && err.stack) || err}\n`)
    process.exitCode = 1
  },
)
