'use strict'
// `asherah-warmup download` and lib/download.js against a real HTTP server on 127.0.0.1 inside
// this process, with the real addon parsing the sums files and hashing. Each route folder
// /<case>/<version>/<file> is served from real files made here (random bytes for the library, a
// sums file over them); some cases change the bytes on the wire. Runs under `node --test` and
// `bun test`.
const assert = require('node:assert')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { describe, it, before, after } = require('./helpers/suite')
const { startServer } = require('./helpers/http-server')
const { currentRuntime } = require('./helpers/child')
const paths = require('./helpers/paths')
const { downloadWarmupLibrary, CODES, DEFAULT_RELEASE, DEFAULT_BASE_URL, MAX_BYTES, STALE_MS } = require('../lib/download')
const cli = require('../lib/cli')

const V = DEFAULT_RELEASE
const LINUX = 'go-warmup-linux-x64.so'
const DARWIN = 'go-warmup-darwin-arm64.dylib'
const BIN = path.join(paths.root, 'bin', 'asherah-warmup.js')
const BACKOFF_ENV = { ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS: '5' }
const LINUX_ARGS = ['--platform', 'linux', '--arch', 'x64']

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')

let tmp // everything this file writes
let www // what the server serves: <www>/<case>/<version>/<file>
let server
let base // server URL
const fixtures = {} // case -> { lib, sums, darwinLib, darwinSums }
const counters = new Map() // per-route answers so far, for "fail first, then succeed"

/** Writes a case folder: a random library, and a sums file over it (listing `listed` instead, if given). */
function makeCase(name, { version = V, lib = crypto.randomBytes(48 * 1024 + 17), listedLib = lib, withLib = true, withSums = true, sumsText } = {}) {
  const dir = path.join(www, name, version)
  fs.mkdirSync(dir, { recursive: true })
  const darwinLib = crypto.randomBytes(20 * 1024 + 5)
  const other = crypto.randomBytes(1024)
  const sums = sumsText !== undefined ? sumsText : `${sha256(other)}  ./libasherah-x64.a\n${sha256(listedLib)}  ./${LINUX}\n`
  const darwinSums = `${sha256(other)}  ./libasherah-darwin-arm64.a\n${sha256(darwinLib)}  ./${DARWIN}\n`
  if (withLib) {
    fs.writeFileSync(path.join(dir, LINUX), lib)
    fs.writeFileSync(path.join(dir, DARWIN), darwinLib)
  }
  if (withSums) {
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), sums)
    fs.writeFileSync(path.join(dir, 'SHA256SUMS-darwin'), darwinSums)
  }
  fixtures[name] = { lib, listedLib, sums, darwinLib, darwinSums }
}

function serveFile(res, urlPath) {
  const file = path.join(www, ...urlPath.split('/').filter(Boolean))
  if (!file.startsWith(www) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.send(404, 'Not Found')
  res.send(200, fs.readFileSync(file))
}

function nth(route) {
  const n = (counters.get(route) || 0) + 1
  counters.set(route, n)
  return n
}

// Routes: the case name picks the behaviour; anything not special is served from disk.
function handler(req, res) {
  const [, kase, , file] = req.path.split('/')
  const isLib = file === LINUX
  switch (kase) {
    case 'truncated':
      if (isLib) {
        const { lib } = fixtures.truncated
        res.head(200, { 'Content-Length': lib.length })
        res.write(lib.subarray(0, lib.length >> 1))
        return setTimeout(() => res.destroy(), 10)
      }
      break
    case 'stalled': // headers, then nothing
      if (isLib) return res.head(200, { 'Content-Length': fixtures.stalled.lib.length })
      break
    case 'stalled-mid': // headers and half the body, then nothing
      if (isLib) {
        const { lib } = fixtures['stalled-mid']
        res.head(200, { 'Content-Length': lib.length })
        return res.write(lib.subarray(0, lib.length >> 1))
      }
      break
    case 'flaky': // 429 once on the sums file, 500 once on the library
      if (file === 'SHA256SUMS' && nth(req.path) === 1) return res.send(429, 'slow down')
      if (isLib && nth(req.path) === 1) return res.send(500, 'oops')
      break
    case 'down': // 503 every time
      return res.send(503, 'unavailable')
    case 'forbidden':
      if (isLib) return res.send(403, 'no')
      break
    case 'redirect': // sums: absolute 302 to /good; library: relative 302 to /assets/..., then 301 to /good
      if (file === 'SHA256SUMS') return res.redirect(302, `${base}/good/${V}/SHA256SUMS`)
      if (isLib) return res.redirect(302, `/assets/${V}/${LINUX}?sig=abc`)
      break
    case 'assets':
      return res.redirect(301, `/good/${V}/${LINUX}`)
    case 'loop':
      if (isLib) return res.redirect(302, req.path)
      break
    case 'drip': // a valid response, one byte a second: never idle for long, never done in time
      if (isLib) {
        res.head(200, { 'Content-Length': 30 })
        return res.drip(fixtures.drip.lib.subarray(0, 30), 1000)
      }
      break
    case 'huge-sums': // a sums file over the cap, without Content-Length
      if (file === 'SHA256SUMS') {
        res.head(200, {})
        return res.pour(MAX_BYTES.sums + 1)
      }
      break
    case 'huge-declared': // a library announcing more than the cap
      if (isLib) return res.head(200, { 'Content-Length': MAX_BYTES.library + 1 })
      break
    case 'huge-streamed': // a library over the cap, without Content-Length
      if (isLib) {
        res.head(200, {})
        return res.pour(MAX_BYTES.library + 1)
      }
      break
  }
  serveFile(res, req.path.split('?')[0])
}

/** Folder names a download may leave behind are only final names: no temporary or partial files. */
function listDir(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : null
}

function assertNoTemp(dir) {
  for (const name of listDir(dir) || []) {
    assert.ok(!name.endsWith('.tmp') && !name.startsWith('.'), `left behind in ${dir}: ${name}`)
  }
}

let outCount = 0
/** A fresh output folder path two levels below a fresh parent; neither exists yet. */
function freshDir(label) {
  const parent = path.join(tmp, 'out', `${++outCount}-${label}`)
  return { parent, dir: path.join(parent, 'nested', 'lib') }
}

async function runCli(argv, env = {}) {
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: {
      write: (s) => {
        stdout += s
      },
    },
    stderr: {
      write: (s) => {
        stderr += s
      },
    },
    env: { ...BACKOFF_ENV, ...env },
    cwd: tmp,
  }
  const code = await cli.main(argv, io)
  let json
  try {
    json = JSON.parse(stdout.trim().split('\n').pop())
  } catch {}
  return { code, stdout, stderr, json }
}

const dl = (kase, dir, extra = []) => ['download', '--base-url', `${base}/${kase}`, '--dir', dir, ...LINUX_ARGS, ...extra]

/** The real bin in a child of the current runtime (asynchronously: the server lives in this process). */
function runBin(args, { env = {}, cwd = tmp, whileRunning } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(currentRuntime(), [BIN, ...args], {
      cwd,
      env: { ...process.env, ASHERAH_WARMUP_BASE_URL: '', ...BACKOFF_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stdout, stderr })
    })
    if (whileRunning) whileRunning(child).catch(reject)
  })
}

async function waitFor(predicate, ms = 5000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (predicate()) return true
    await new Promise((r) => setTimeout(r, 10))
  }
  return false
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-download-'))
  www = path.join(tmp, 'www')
  for (const name of [
    'good',
    'truncated',
    'stalled',
    'stalled-mid',
    'flaky',
    'down',
    'forbidden',
    'loop',
    'cli',
    'drip',
    'huge-sums',
    'huge-declared',
    'huge-streamed',
  ])
    makeCase(name)
  const lib = crypto.randomBytes(30000)
  const tampered = Buffer.from(lib)
  tampered[tampered.length >> 1] ^= 0xff
  makeCase('tampered', { lib: tampered, listedLib: lib })
  makeCase('nolib', { withLib: false })
  makeCase('oldsums', { version: 'v0.4.0', sumsText: `${sha256(Buffer.from('x'))}  ./libasherah-x64.a\n` })
  makeCase('notsums', { sumsText: '<html>captive portal</html>\n' })
  fs.mkdirSync(path.join(www, 'old', 'v0.4.0'), { recursive: true }) // a release with no warmup files at all
  server = await startServer(handler)
  base = server.url
})

after(async () => {
  if (server) await server.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('download: a release that ships the library', () => {
  it('writes the library and the sums file, verified, and nothing else', async () => {
    const { dir } = freshDir('good')
    const r = await runCli(dl('good', dir, ['--json']))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(r.json.ok, true)
    assert.strictEqual(r.json.reused, false)
    assert.strictEqual(r.json.attempts, 1)
    assert.strictEqual(r.json.path, path.join(dir, LINUX))
    assert.strictEqual(r.json.url, `${base}/good/${V}/${LINUX}`)
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS', LINUX])
    const written = fs.readFileSync(path.join(dir, LINUX))
    assert.ok(written.equals(fixtures.good.lib), 'library bytes differ from what was served')
    assert.strictEqual(r.json.sha256, sha256(written))
    assert.strictEqual(fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8'), fixtures.good.sums)
  })

  it('reuses a verified library on a second run without requesting it again', async () => {
    const { dir } = freshDir('reuse')
    const libRoute = `/good/${V}/${LINUX}`
    assert.strictEqual((await runCli(dl('good', dir))).code, 0)
    const libHits = server.hits(libRoute)
    const sumsHits = server.hits(`/good/${V}/SHA256SUMS`)
    const r = await runCli(dl('good', dir, ['--json']))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(r.json.reused, true)
    assert.strictEqual(r.json.attempts, 0)
    assert.strictEqual(server.hits(libRoute), libHits, 'the library was requested again')
    assert.strictEqual(server.hits(`/good/${V}/SHA256SUMS`), sumsHits + 1, 'the sums file is fetched fresh every run')
    assert.match(r.stderr, /already present and matches the sums file; not downloading it again/)
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS', LINUX])
    assert.ok(fs.readFileSync(path.join(dir, LINUX)).equals(fixtures.good.lib))
  })

  it('replaces a library at the final name that does not match the sums file', async () => {
    const { dir } = freshDir('stale')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, LINUX), 'an older build')
    const r = await runCli(dl('good', dir))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.match(r.stdout, /written \(sha256 [0-9a-f]{64}\)/)
    assert.ok(fs.readFileSync(path.join(dir, LINUX)).equals(fixtures.good.lib))
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS', LINUX])
  })

  it('picks SHA256SUMS-darwin and the .dylib for darwin (function API)', async () => {
    const { dir } = freshDir('darwin')
    const events = []
    const result = await downloadWarmupLibrary({
      baseUrl: `${base}/good`,
      dir,
      platform: 'darwin',
      arch: 'arm64',
      env: {},
      onProgress: (e) => events.push(e.type),
    })
    assert.strictEqual(result.file, DARWIN)
    assert.strictEqual(result.sumsPath, path.join(dir, 'SHA256SUMS-darwin'))
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS-darwin', DARWIN])
    assert.ok(fs.readFileSync(result.path).equals(fixtures.good.darwinLib))
    assert.strictEqual(fs.readFileSync(result.sumsPath, 'utf8'), fixtures.good.darwinSums)
    assert.deepStrictEqual(events, ['request', 'request', 'written'])
  })

  it('takes the base URL from ASHERAH_WARMUP_BASE_URL when --base-url is not given', async () => {
    const { dir } = freshDir('env-base')
    const r = await runCli(['download', '--dir', dir, ...LINUX_ARGS, '--json'], { ASHERAH_WARMUP_BASE_URL: `${base}/good/` })
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(r.json.url, `${base}/good/${V}/${LINUX}`)
  })

  it('follows redirects (absolute and relative, two hops)', async () => {
    const { dir } = freshDir('redirect')
    const before = server.hits(`/assets/${V}/${LINUX}?sig=abc`)
    const r = await runCli(dl('redirect', dir, ['--json']))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(server.hits(`/assets/${V}/${LINUX}?sig=abc`), before + 1)
    assert.ok(fs.readFileSync(path.join(dir, LINUX)).equals(fixtures.good.lib))
    assert.strictEqual(r.json.url, `${base}/redirect/${V}/${LINUX}`)
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS', LINUX])
  })

  it('retries a 429 on the sums file and a 500 on the library, then succeeds', async () => {
    const { dir } = freshDir('flaky')
    const r = await runCli(dl('flaky', dir, ['--json']))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(server.hits(`/flaky/${V}/SHA256SUMS`), 2)
    assert.strictEqual(server.hits(`/flaky/${V}/${LINUX}`), 2)
    assert.strictEqual(r.json.attempts, 2)
    assert.match(r.stderr, /retrying .*\/flaky\/.*SHA256SUMS in \d+ ms \(attempt 2 of 4\): HTTP 429/)
    assert.match(r.stderr, /retrying .*go-warmup-linux-x64\.so in \d+ ms \(attempt 2 of 4\): HTTP 500/)
    assert.ok(fs.readFileSync(path.join(dir, LINUX)).equals(fixtures.flaky.lib))
    assertNoTemp(dir)
  })
})

describe('download: failures leave nothing behind', () => {
  it('a tampered library: CHECKSUM_MISMATCH, no file at the final name, created folders removed', async () => {
    const { parent, dir } = freshDir('tampered')
    const r = await runCli(dl('tampered', dir))
    assert.strictEqual(r.code, 1)
    assert.match(
      r.stderr,
      new RegExp(`^asherah-warmup download: ${CODES.CHECKSUM_MISMATCH}: .*${LINUX} has SHA-256 [0-9a-f]{64} but .*SHA256SUMS lists [0-9a-f]{64}`, 'm'),
    )
    assert.strictEqual(listDir(parent), null, 'folders created by the failed download are still there')
    assert.strictEqual(server.hits(`/tampered/${V}/${LINUX}`), 1, 'a checksum mismatch is not retried')
  })

  it('a tampered library does not touch a file already at the final name', async () => {
    const { dir } = freshDir('tampered-existing')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, LINUX), 'previous')
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'keep')
    await assert.rejects(
      downloadWarmupLibrary({ baseUrl: `${base}/tampered`, dir, platform: 'linux', arch: 'x64', env: BACKOFF_ENV }),
      (err) => err.code === CODES.CHECKSUM_MISMATCH && err.expected === sha256(fixtures.tampered.listedLib) && err.actual === sha256(fixtures.tampered.lib),
    )
    assert.deepStrictEqual(listDir(dir), [LINUX, 'keep.txt'])
    assert.strictEqual(fs.readFileSync(path.join(dir, LINUX), 'utf8'), 'previous')
  })

  it('a truncated body (Content-Length never reached) is retried, then LENGTH_MISMATCH', async () => {
    const { parent, dir } = freshDir('truncated')
    const r = await runCli(dl('truncated', dir, ['--retries', '2', '--json']))
    assert.strictEqual(r.code, 1)
    assert.strictEqual(r.json.code, CODES.LENGTH_MISMATCH)
    assert.match(r.json.message, /failed after 3 attempts; last error: a body of \d+ bytes where Content-Length is 49169$/)
    assert.strictEqual(server.hits(`/truncated/${V}/${LINUX}`), 3)
    assert.strictEqual(listDir(parent), null)
  })

  it('an old release (404 on the sums file): NOT_FOUND naming the URL and the fix', async () => {
    const { parent, dir } = freshDir('old')
    const r = await runCli(dl('old', dir, ['--version', 'v0.4.0']))
    assert.strictEqual(r.code, 1)
    const url = `${base}/old/v0.4.0/SHA256SUMS`
    assert.ok(r.stderr.includes(`asherah-warmup download: ${CODES.NOT_FOUND}: ${url} was not found (HTTP 404)`), r.stderr)
    assert.match(r.stderr, /--version/)
    assert.match(r.stderr, /platform package \(asherah-warmup-linux-x64-gnu\)/)
    assert.strictEqual(server.hits('/old/v0.4.0/SHA256SUMS'), 1, 'a 404 is not retried')
    assert.strictEqual(server.hits(`/old/v0.4.0/${LINUX}`), 0)
    assert.strictEqual(listDir(parent), null)
  })

  it('a release whose sums file does not list the library: NOT_FOUND', async () => {
    const { parent, dir } = freshDir('oldsums')
    const r = await runCli(dl('oldsums', dir, ['--version', '0.4.0']))
    assert.strictEqual(r.code, 1)
    assert.ok(r.stderr.includes(`${CODES.NOT_FOUND}: ${base}/oldsums/v0.4.0/SHA256SUMS does not list ${LINUX}`), r.stderr)
    assert.strictEqual(listDir(parent), null)
  })

  it('a sums file listing the library that is then missing (404): NOT_FOUND naming the library URL', async () => {
    const { parent, dir } = freshDir('nolib')
    const r = await runCli(dl('nolib', dir))
    assert.strictEqual(r.code, 1)
    assert.ok(r.stderr.includes(`${CODES.NOT_FOUND}: ${base}/nolib/${V}/${LINUX} was not found (HTTP 404)`), r.stderr)
    assert.strictEqual(server.hits(`/nolib/${V}/${LINUX}`), 1)
    assert.strictEqual(listDir(parent), null)
  })

  it('a response that is not a sums file: the core parser refuses it (SUMS_INVALID, with the line)', async () => {
    const { parent, dir } = freshDir('notsums')
    const r = await runCli(dl('notsums', dir))
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`${CODES.SUMS_INVALID}: .*/notsums/${V}/SHA256SUMS:1 `))
    assert.strictEqual(listDir(parent), null)
  })

  it('a 403 is not retried', async () => {
    const { parent, dir } = freshDir('forbidden')
    const r = await runCli(dl('forbidden', dir, ['--json']))
    assert.strictEqual(r.code, 1)
    assert.strictEqual(r.json.code, CODES.FAILED)
    assert.strictEqual(r.json.status, 403)
    assert.strictEqual(server.hits(`/forbidden/${V}/${LINUX}`), 1)
    assert.strictEqual(listDir(parent), null)
  })

  it('503 on every attempt: FAILED after 1 + retries attempts', async () => {
    const { parent, dir } = freshDir('down')
    const r = await runCli(dl('down', dir, ['--retries', '2']))
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`${CODES.FAILED}: GET .*/down/${V}/SHA256SUMS failed after 3 attempts; last error: HTTP 503`))
    assert.strictEqual(server.hits(`/down/${V}/SHA256SUMS`), 3)
    assert.strictEqual(listDir(parent), null)
  })

  it('a response that stalls after its headers: TIMEOUT after retries', async () => {
    const { parent, dir } = freshDir('stalled')
    const started = Date.now()
    const r = await runCli(dl('stalled', dir, ['--timeout-ms', '300', '--retries', '1']))
    const took = Date.now() - started
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`${CODES.TIMEOUT}: GET .*${LINUX} timed out after 2 attempts: the attempt took over 300 ms$`, 'm'))
    assert.strictEqual(server.hits(`/stalled/${V}/${LINUX}`), 2)
    assert.ok(took >= 600 && took < 3000, `took ${took} ms`)
    assert.strictEqual(listDir(parent), null)
  })

  it('a response that stalls mid-body: TIMEOUT, the partial temporary file removed', async () => {
    const { dir } = freshDir('stalled-mid')
    fs.mkdirSync(dir, { recursive: true })
    await assert.rejects(
      downloadWarmupLibrary({ baseUrl: `${base}/stalled-mid`, dir, platform: 'linux', arch: 'x64', timeoutMs: 200, retries: 0, env: {} }),
      (err) => err.code === CODES.TIMEOUT && err.attempts === 1 && /took over 200 ms/.test(err.message),
    )
    assert.deepStrictEqual(listDir(dir), [], 'a folder that existed before is kept, and left empty')
  })

  it('more than 5 redirects: FAILED, not retried', async () => {
    const { parent, dir } = freshDir('loop')
    const r = await runCli(dl('loop', dir))
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`${CODES.FAILED}: more than 5 redirects from .*${LINUX}`))
    assert.strictEqual(server.hits(`/loop/${V}/${LINUX}`), 6)
    assert.strictEqual(listDir(parent), null)
  })

  it('a --dir that is a file: WRITE_FAILED', async () => {
    const { parent } = freshDir('dir-is-file')
    fs.mkdirSync(parent, { recursive: true })
    const file = path.join(parent, 'lib')
    fs.writeFileSync(file, 'x')
    const r = await runCli(dl('good', file))
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`^asherah-warmup download: ${CODES.WRITE_FAILED}: cannot write into `, 'm'))
    assert.deepStrictEqual(listDir(parent), ['lib'])
  })

  it('an unsupported platform: UNSUPPORTED_PLATFORM, exit 1, no request', async () => {
    const { parent, dir } = freshDir('win32')
    const count = server.requests.length
    const r = await runCli(['download', '--base-url', `${base}/good`, '--dir', dir, '--platform', 'win32', '--arch', 'x64'])
    assert.strictEqual(r.code, 1)
    assert.match(r.stderr, new RegExp(`^asherah-warmup download: ${CODES.UNSUPPORTED_PLATFORM}: no go-warmup library is published for win32-x64`, 'm'))
    assert.strictEqual(server.requests.length, count)
    assert.strictEqual(listDir(parent), null)
  })
})

describe('download: bounds in time, size and leftovers', () => {
  it('--timeout-ms bounds the whole attempt: a server sending a byte a second times out', async () => {
    const { parent, dir } = freshDir('drip')
    const started = Date.now()
    const r = await runCli(dl('drip', dir, ['--timeout-ms', '2500', '--retries', '0']))
    const took = Date.now() - started
    assert.strictEqual(r.code, 1, r.stderr)
    assert.match(r.stderr, new RegExp(`${CODES.TIMEOUT}: GET .*/drip/.*${LINUX} timed out after 1 attempt: the attempt took over 2500 ms`))
    assert.ok(took >= 2500 && took < 6000, `took ${took} ms`)
    assert.strictEqual(listDir(parent), null)
  })

  it('--deadline-ms bounds all attempts together, whatever --retries allows', async () => {
    const { parent, dir } = freshDir('deadline')
    const started = Date.now()
    const r = await runCli(dl('stalled', dir, ['--timeout-ms', '400', '--retries', '20', '--deadline-ms', '1000', '--json']))
    const took = Date.now() - started
    assert.strictEqual(r.code, 1, r.stderr)
    assert.strictEqual(r.json.code, CODES.TIMEOUT)
    assert.match(r.json.message, /gave up after [23] attempts: the deadline of 1000 ms passed/)
    assert.ok(took >= 1000 && took < 3000, `took ${took} ms`)
    assert.strictEqual(listDir(parent), null)
  })

  it('--deadline-ms cuts an attempt in progress, not only between attempts', async () => {
    const { parent, dir } = freshDir('deadline-mid')
    const started = Date.now()
    const r = await runCli(dl('stalled', dir, ['--timeout-ms', '8000', '--deadline-ms', '800', '--json']))
    const took = Date.now() - started
    assert.strictEqual(r.json?.code, CODES.TIMEOUT, r.stderr)
    assert.match(r.json.message, /gave up after 1 attempt: the deadline of 800 ms passed/)
    assert.ok(took >= 800 && took < 5000, `took ${took} ms`)
    assert.strictEqual(listDir(parent), null)
  })

  for (const [kase, what, cap] of [
    ['huge-sums', 'a sums file over 1 MiB without Content-Length', MAX_BYTES.sums],
    ['huge-declared', 'a library whose Content-Length is over 64 MiB', MAX_BYTES.library],
    ['huge-streamed', 'a library streaming past 64 MiB without Content-Length', MAX_BYTES.library],
  ]) {
    it(`${what}: TOO_LARGE, not retried, nothing written`, async () => {
      const { parent, dir } = freshDir(kase)
      const r = await runCli(dl(kase, dir, ['--json']))
      assert.strictEqual(r.code, 1, r.stderr)
      assert.strictEqual(r.json.code, CODES.TOO_LARGE, r.stderr)
      assert.match(r.json.message, new RegExp(`a body of (over )?\\d+ bytes, over the cap of ${cap} from `))
      assert.strictEqual(r.json.attempts, 1)
      assert.strictEqual(listDir(parent), null)
    })
  }

  it('sweeps our temporary files older than 10 minutes from --dir, and nothing else', async () => {
    const { dir } = freshDir('sweep')
    fs.mkdirSync(dir, { recursive: true })
    const old = (Date.now() - STALE_MS - 60000) / 1000
    const names = {
      staleLib: `.${LINUX}.4242.abcdefabcdef.tmp`,
      staleSums: '.SHA256SUMS.4242.0123456789ab.tmp',
      freshLib: `.${LINUX}.4343.abcdefabcdef.tmp`,
      otherOld: '.notes.txt.4242.abcdefabcdef.tmp',
      plainOld: 'keep.tmp',
    }
    for (const [key, name] of Object.entries(names)) {
      fs.writeFileSync(path.join(dir, name), 'partial')
      if (key !== 'freshLib') fs.utimesSync(path.join(dir, name), old, old)
    }
    const r = await runCli(dl('good', dir))
    assert.strictEqual(r.code, 0, r.stderr)
    assert.deepStrictEqual(listDir(dir), [names.freshLib, names.otherOld, 'SHA256SUMS', LINUX, names.plainOld].sort())
  })
})

describe('download: usage', () => {
  for (const [label, argv] of [
    ['an unknown option', ['--bogus']],
    ['a non-numeric --retries', ['--retries', 'many']],
    ['a missing value', ['--dir']],
    ['a version that is not a tag', ['--version', '../../etc']],
    ['a base URL that is not http(s)', ['--base-url', 'file:///etc']],
    ['a zero --timeout-ms', ['--timeout-ms', '0']],
    ['a positional argument', ['extra']],
  ]) {
    it(`${label}: INVALID_OPTION, exit 2`, async () => {
      const count = server.requests.length
      const r = await runCli(['download', ...argv])
      assert.strictEqual(r.code, 2, r.stderr)
      assert.match(r.stderr, new RegExp(`^asherah-warmup download: ${CODES.INVALID_OPTION}: `, 'm'))
      assert.strictEqual(server.requests.length, count)
    })
  }

  it('an unknown command: usage on stderr, exit 2; --help: usage on stdout, exit 0', async () => {
    const bad = await runCli(['frobnicate'])
    assert.strictEqual(bad.code, 2)
    assert.match(bad.stderr, /unknown command "frobnicate"/)
    assert.match(bad.stderr, /^Usage: asherah-warmup <command>/m)
    assert.match(bad.stderr, /^ {2}download {2}/m)
    const none = await runCli([])
    assert.strictEqual(none.code, 2)
    const help = await runCli(['--help'])
    assert.strictEqual(help.code, 0)
    assert.match(help.stdout, /^Usage: asherah-warmup <command>/m)
    const dlHelp = await runCli(['download', '--help'])
    assert.strictEqual(dlHelp.code, 0)
    assert.match(dlHelp.stdout, /^Usage: asherah-warmup download \[options\]/m)
    assert.ok(dlHelp.stdout.includes(DEFAULT_BASE_URL))
  })
})

describe('download: the bin, as a child process of the current runtime', () => {
  it('downloads (exit 0), and exit codes 1 and 2 on failure and usage errors', async () => {
    const { dir } = freshDir('bin')
    const ok = await runBin(['download', '--base-url', `${base}/cli`, '--dir', dir, ...LINUX_ARGS, '--json'])
    assert.strictEqual(ok.code, 0, ok.stderr)
    const json = JSON.parse(ok.stdout)
    assert.strictEqual(json.ok, true)
    assert.ok(fs.readFileSync(path.join(dir, LINUX)).equals(fixtures.cli.lib))
    assert.strictEqual(json.sha256, sha256(fixtures.cli.lib))
    assert.deepStrictEqual(listDir(dir), ['SHA256SUMS', LINUX])

    const missing = await runBin(['download', '--base-url', `${base}/old`, '--version', 'v0.4.0', '--dir', 'out-missing', ...LINUX_ARGS])
    assert.strictEqual(missing.code, 1)
    assert.match(missing.stderr, new RegExp(`^asherah-warmup download: ${CODES.NOT_FOUND}: `, 'm'))
    assert.ok(!fs.existsSync(path.join(tmp, 'out-missing')))

    const usage = await runBin(['download', '--retries', '-1'])
    assert.strictEqual(usage.code, 2)
    const unknown = await runBin(['nope'])
    assert.strictEqual(unknown.code, 2)
    assert.match(unknown.stderr, /^Usage: asherah-warmup/m)
  })

  it('SIGTERM during a download: nothing written, exit 128 + 15', async () => {
    const { parent, dir } = freshDir('sigterm')
    let sawRequest = false
    const route = `/stalled-mid/${V}/${LINUX}`
    const before = server.hits(route)
    const r = await runBin(['download', '--base-url', `${base}/stalled-mid`, '--dir', dir, ...LINUX_ARGS, '--timeout-ms', '10000'], {
      whileRunning: async (child) => {
        sawRequest = await waitFor(() => server.hits(route) > before)
        child.kill('SIGTERM')
      },
    })
    assert.ok(sawRequest, 'the download never requested the library')
    assert.strictEqual(r.signal, null, 'the process died of the signal instead of cleaning up')
    assert.strictEqual(r.code, 128 + os.constants.signals.SIGTERM, r.stderr)
    assert.match(r.stderr, new RegExp(`${CODES.ABORTED}: download interrupted \\(received SIGTERM\\)`))
    assert.strictEqual(listDir(parent), null)
  })
})
