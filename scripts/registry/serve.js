#!/usr/bin/env node
'use strict'
// A throwaway npm registry for the package-manager tests: verdaccio on 127.0.0.1 at a free port,
// its storage, auth file and log under DIR, no uplinks (a package it does not hold is a 404, never
// a fetch from elsewhere), anyone may publish.
//
//   node scripts/registry/serve.js DIR
//
// Prints one JSON line, {"url": "http://127.0.0.1:PORT/", "token": "..."} (a token of a user it
// created, for `npm publish`), once it accepts requests. Stops when its standard input closes, so
// the registry dies with whatever started it, even one killed with SIGKILL.
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')

function config(dir) {
  return {
    self_path: path.join(dir, 'config.yaml'),
    storage: path.join(dir, 'storage'),
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 10 } },
    uplinks: {},
    packages: { '**': { access: '$all', publish: '$all', unpublish: '$all' } },
    web: { enable: false },
    log: { type: 'file', path: path.join(dir, 'verdaccio.log'), format: 'json', level: 'http' },
    // The platform package carries a 1.4 MB library; the default limit is 10 MB, kept explicit.
    max_body_size: '50mb',
  }
}

/** PUT /-/user/org.couchdb.user:NAME: verdaccio's htpasswd plugin creates the user and answers a token. */
function createUser(url) {
  const body = JSON.stringify({ name: 'publisher', password: 'publisher-password' })
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL('-/user/org.couchdb.user:publisher', url),
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 10000,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (d) => {
          text += d
        })
        res.on('end', () =>
          res.statusCode === 201 ? resolve(JSON.parse(text).token) : reject(new Error(`creating the publisher: HTTP ${res.statusCode} ${text}`)),
        )
      },
    )
    req.on('timeout', () => req.destroy(new Error('creating the publisher: timed out')))
    req.on('error', reject)
    req.end(body)
  })
}

async function main(dir) {
  if (!dir) throw new Error('usage: node scripts/registry/serve.js DIR')
  fs.mkdirSync(path.join(dir, 'storage'), { recursive: true })
  const { runServer } = require('verdaccio')
  const server = await runServer(config(path.resolve(dir)))
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${server.address().port}/`
  const token = await createUser(url)
  process.stdout.write(`${JSON.stringify({ url, token })}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
}

main(process.argv[2]).catch((err) => {
  process.stderr.write(`registry: ${err.stack || err}\n`)
  process.exit(1)
})
