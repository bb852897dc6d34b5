'use strict'
// `asherah-warmup download`, and downloadWarmupLibrary() behind it: an asherah-cobhan release's
// go-warmup library for one platform, checked against the release's sums file by the addon (the load
// path's own parser and SHA-256) and written with it into a folder. Bodies are capped and verified in
// memory, so nothing unverified is written. Each file goes to a temporary file in the same folder (a
// rename is atomic only within one filesystem), fsynced, renamed onto its name, and the folder fsynced
// so the rename survives a crash; later runs sweep the temporary files of a run killed mid-write.

const fsp = require('node:fs/promises')
const path = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')
const { CODES: SHARED, GO_WARMUP_FILES, libraryName, sumsFileName, packageTriple, loadAddon, runtime } = require('./runtime')

/** The first asherah-cobhan release with go-warmup libraries. */
const DEFAULT_RELEASE = 'v0.5.0'
const DEFAULT_BASE_URL = 'https://github.com/godaddy/asherah-cobhan/releases/download'
/** Numeric options by flag: [default, min, max]; 2147483647 ms is the timers' limit. */
const NUMBERS = { 'timeout-ms': [30000, 1, 2147483647], 'deadline-ms': [300000, 1, 2147483647], retries: [3, 0, 20], 'backoff-ms': [500, 0, 10000] }
const MAX_REDIRECTS = 5
/** Upstream's library is about 2 MiB and its sums file a few lines: far larger is not them. */
const MAX_BYTES = { library: 64 * 1024 * 1024, sums: 1024 * 1024 }
/** `.<name>.<pid>.<12 hex>.tmp`: hidden, and traceable to the process that made it. */
const TEMP = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/
/** Older than this, no live run is still writing it (a run writes its files in moments). */
const STALE_MS = 10 * 60 * 1000
const OWN_CODES = ['NOT_FOUND', 'CHECKSUM_MISMATCH', 'FAILED', 'TIMEOUT', 'WRITE_FAILED', 'ABORTED', 'TOO_LARGE', 'LENGTH_MISMATCH']
const CODES = Object.freeze({
  ...Object.fromEntries(['INVALID_OPTION', 'UNSUPPORTED_PLATFORM', 'SUMS_INVALID'].map((name) => [name, SHARED[name]])),
  ...Object.fromEntries(OWN_CODES.map((name) => [name, `ERR_ASHERAH_WARMUP_DOWNLOAD_${name}`])),
})

const downloadError = (code, message, extra) => Object.assign(new Error(message), { code }, extra)
const invalid = (message) => downloadError(CODES.INVALID_OPTION, message)
/** One attempt's failure at `url`; the final message quotes `reason`. Only `retryable` ones are tried again. */
const attemptError = (code, reason, url, extra) => downloadError(code, `${reason} from ${url}`, { reason, url, retryable: false, ...extra })
const isOurs = (err) => String(err?.code).startsWith('ERR_ASHERAH_WARMUP_')
const camelCase = (flag) => flag.replace(/-(\w)/g, (_, c) => c.toUpperCase())
const parseUrl = (text, base) => (URL.canParse(text, base) ? new URL(text, base) : null)

/** A numeric option: an integer in range, given as a number or (on the command line) a decimal string. */
function number(flag, raw) {
  const [fallback, min, max] = NUMBERS[flag]
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : (raw ?? fallback)
  if (Number.isInteger(value) && value >= min && value <= max) return value
  throw invalid(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
}

/** The options checked and completed; `library` and `sums` are { name, maxBytes, url, path }. */
function resolveOptions(options) {
  const env = options.env ?? process.env
  const tag = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(String(options.version ?? DEFAULT_RELEASE).trim())
  if (!tag) throw invalid(`version must look like v1.2.3, got ${JSON.stringify(options.version)}`)
  const { platform = process.platform, arch = process.arch, signal } = options
  const file = libraryName(platform, arch)
  const published = Object.keys(GO_WARMUP_FILES).join(', ')
  if (!file) throw downloadError(CODES.UNSUPPORTED_PLATFORM, `no go-warmup library is published for ${platform}-${arch} (published: ${published})`)
  const base = String(options.baseUrl ?? (env.ASHERAH_WARMUP_BASE_URL || DEFAULT_BASE_URL))
  const url = parseUrl(base)
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw invalid(`base URL must be an http: or https: URL without query, fragment or credentials, got ${JSON.stringify(base)}`)
  }
  const given = { ...options, backoffMs: options.backoffMs ?? (env.ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS || undefined) }
  const numbers = Object.fromEntries(Object.keys(NUMBERS).map((flag) => [camelCase(flag), number(flag, given[camelCase(flag)])]))
  const version = `v${tag[1]}` // the pattern admits only characters a URL path takes as they are
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir ?? 'lib')
  const release = `${url.href.replace(/\/+$/, '')}/${version}`
  const entry = (name, maxBytes) => ({ name, maxBytes, url: `${release}/${encodeURIComponent(name)}`, path: path.join(dir, name) })
  const [library, sums] = [entry(file, MAX_BYTES.library), entry(sumsFileName(platform), MAX_BYTES.sums)]
  return { ...numbers, platform, arch, version, dir, library, sums, signal, onProgress: options.onProgress ?? (() => {}) }
}

/** One attempt at GET `url`: redirects by hand (at most 5, never https to http), then a 200's body, capped and matching Content-Length. */
async function getOnce(url, signal, maxBytes) {
  const headers = { 'user-agent': `asherah-warmup/${require('../package.json').version} (${runtime.name})`, 'accept-encoding': 'identity' }
  let target = new URL(url)
  let res
  for (let hops = 0; ; hops++) {
    res = await fetch(target, { redirect: 'manual', signal, headers })
    const { status } = res
    if (status === 200) break
    await res.body?.cancel()
    if (![301, 302, 303, 307, 308].includes(status)) {
      const code = status === 404 || status === 410 ? CODES.NOT_FOUND : CODES.FAILED
      throw attemptError(code, `HTTP ${status}`, target.href, { status, retryable: status === 429 || status >= 500 })
    }
    if (hops >= MAX_REDIRECTS) throw attemptError(CODES.FAILED, `more than ${MAX_REDIRECTS} redirects`, url, { status })
    const next = parseUrl(res.headers.get('location') ?? '', target)
    if (next?.protocol !== 'https:' && next?.protocol !== target.protocol) {
      throw attemptError(CODES.FAILED, `HTTP ${status} to ${res.headers.get('location')}, which is not followed`, target.href, { status })
    }
    target = next
  }
  const expected = res.headers.has('content-length') ? Number(res.headers.get('content-length')) : null
  const tooLarge = (size) => attemptError(CODES.TOO_LARGE, `a body of ${size} bytes, over the cap of ${maxBytes}`, target.href)
  if (expected > maxBytes) {
    await res.body.cancel()
    throw tooLarge(expected)
  }
  const chunks = []
  let size = 0
  try {
    for await (const chunk of res.body) {
      size += chunk.length
      if (size > maxBytes) throw tooLarge(`over ${maxBytes}`)
      chunks.push(chunk)
    }
  } catch (err) {
    // A body cut short is reported by its length, below.
    if (err.code === CODES.TOO_LARGE || expected === null || signal.aborted) throw err
  }
  if (expected !== null && size !== expected) {
    throw attemptError(CODES.LENGTH_MISMATCH, `a body of ${size} bytes where Content-Length is ${expected}`, target.href, { retryable: true })
  }
  return Buffer.concat(chunks)
}

/** Why an attempt stopped: whose signal fired (the caller's, the deadline, the attempt's), else the error. */
function classify(err, url, o, attempt) {
  if (o.signal?.aborted) return downloadError(CODES.ABORTED, `download interrupted (${o.signal.reason?.message ?? o.signal.reason}); nothing was written`)
  if (o.deadline.aborted) return attemptError(CODES.TIMEOUT, `the deadline of ${o.deadlineMs} ms passed`, url, { overall: true })
  if (attempt?.aborted) return attemptError(CODES.TIMEOUT, `the attempt took over ${o.timeoutMs} ms`, url, { retryable: true })
  if (isOurs(err)) return err
  const cause = err.cause ?? err
  return attemptError(CODES.FAILED, `${cause.code ?? cause.name}: ${cause.message}`, url, { retryable: true })
}

/** The error a GET ends with after `attempts`: as it is, or summed up when tries ran out. */
function finalError(err, url, attempts) {
  if (!err.retryable && !err.overall) return Object.assign(err, { attempts })
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`
  const what = err.overall ? `gave up after ${tries}:` : err.code === CODES.TIMEOUT ? `timed out after ${tries}:` : `failed after ${tries}; last error:`
  return downloadError(err.code, `GET ${url} ${what} ${err.reason}${err.url !== url ? ` (at ${err.url})` : ''}`, { url, attempts, status: err.status })
}

/** GET, retried with exponential backoff on what may pass: network errors, timeouts, 429, 5xx. */
async function get({ name: file, url, maxBytes }, o) {
  for (let attempt = 1; ; attempt++) {
    o.onProgress({ type: 'request', file, url, attempt })
    const timeout = AbortSignal.timeout(o.timeoutMs)
    try {
      return { body: await getOnce(url, AbortSignal.any([timeout, o.stop]), maxBytes), attempts: attempt }
    } catch (caught) {
      const err = classify(caught, url, o, timeout)
      if (!err.retryable || attempt > o.retries) throw finalError(err, url, attempt)
      const delayMs = Math.round(Math.min(10000, o.backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2))
      o.onProgress({ type: 'retry', file, url, attempt, nextAttempt: attempt + 1, maxAttempts: o.retries + 1, delayMs, error: err })
      await sleep(delayMs, undefined, { signal: o.stop }).catch((stopped) => {
        throw finalError(classify(stopped, url, o), url, attempt)
      })
    }
  }
}

/** Turns a 404 into NOT_FOUND naming `what` and the fix. */
const notFound = (o, what) => (err) => {
  if (err.code !== CODES.NOT_FOUND) throw err
  const fix = `pass --version with a release that ships them (e.g. --version ${DEFAULT_RELEASE}), or install asherah-warmup's platform package (asherah-warmup-${packageTriple(o.platform, o.arch)}), which carries the library`
  const why = `${what}: release ${o.version} does not ship go-warmup libraries; they ship from ${DEFAULT_RELEASE} on. Fix: ${fix}`
  throw downloadError(CODES.NOT_FOUND, why, { url: err.url, status: err.status, attempts: err.attempts })
}

/** The bytes of a regular file, or null (a FIFO there would block a read). */
const readIfFile = async (file) => ((await fsp.stat(file).catch(() => null))?.isFile() ? fsp.readFile(file) : null)

/** Removes stale temporary files of ours for these final names from `dir`. */
async function sweepStaleTemps(dir, names) {
  for (const entry of await fsp.readdir(dir).catch(() => [])) {
    const file = path.join(dir, entry)
    const stat = names.includes(TEMP.exec(entry)?.[1]) ? await fsp.lstat(file).catch(() => null) : null
    if (stat?.isFile() && Date.now() - stat.mtimeMs > STALE_MS) await fsp.rm(file, { force: true })
  }
}

/** Writes `bytes` into a new `file`, or opens a folder, and fsyncs it; a folder's fsync is best effort (some filesystems refuse it). */
async function fsync(file, flags, bytes) {
  const handle = await fsp.open(file, flags, 0o644)
  try {
    if (bytes) await handle.writeFile(bytes)
    await handle.sync().catch((err) => bytes && Promise.reject(err))
  } finally {
    await handle.close()
  }
}

/** Writes each [file, bytes] (all in `dir`); on failure removes its temporary files and the folders it made. */
async function writeAtomically(dir, entries) {
  const created = await fsp.mkdir(dir, { recursive: true })
  const suffix = `${process.pid}.${require('node:crypto').randomBytes(6).toString('hex')}.tmp`
  const temps = entries.map(([file]) => path.join(dir, `.${path.basename(file)}.${suffix}`))
  try {
    for (const [i, [, bytes]] of entries.entries()) await fsync(temps[i], 'wx', bytes)
    for (const [i, [file]] of entries.entries()) await fsp.rename(temps[i], file)
    await fsync(dir, 'r')
  } catch (err) {
    await Promise.all(temps.map((tmp) => fsp.rm(tmp, { force: true })))
    // Innermost first: a folder that is not empty stays, and so do the ones above it.
    for (let folder = dir; created && folder.startsWith(created); folder = path.dirname(folder)) await fsp.rmdir(folder).catch(() => {})
    throw err
  }
}

/**
 * Downloads and verifies the go-warmup library of (platform, arch) and writes it with the sums
 * file into `dir`, keeping a library there that matches. Options: version, dir, cwd, baseUrl,
 * platform, arch, timeoutMs (each attempt), deadlineMs (all), retries, backoffMs, signal, env,
 * onProgress({ type: request | retry | reused | written }). Resolves { path, sha256, reused, url,
 * attempts, sumsPath, sumsUrl, version, platform, arch, file }.
 */
async function downloadWarmupLibrary(options = {}) {
  const o = resolveOptions(options)
  o.deadline = AbortSignal.timeout(o.deadlineMs)
  o.stop = AbortSignal.any([o.deadline, o.signal].filter(Boolean))
  const { parseSums, sha256Hex } = loadAddon()
  const { library, sums } = o
  await sweepStaleTemps(o.dir, [library.name, sums.name])

  const fetched = await get(sums, o).catch(notFound(o, `${sums.url} was not found (HTTP 404)`))
  const sha256 = parseSums(fetched.body, sums.url).find((entry) => entry.name === library.name)?.sha256
  if (!sha256) {
    const why = `${sums.url} does not list ${library.name}: release ${o.version} does not ship it. Fix: pass --version ${DEFAULT_RELEASE} or later`
    throw downloadError(CODES.NOT_FOUND, why, { url: sums.url })
  }
  const present = await readIfFile(library.path)
  const reused = present !== null && sha256Hex(present) === sha256
  const writes = []
  let attempts = 0
  if (reused) o.onProgress({ type: 'reused', file: library.name, path: library.path, sha256 })
  else {
    const got = await get(library, o).catch(notFound(o, `${library.url} was not found (HTTP 404) although ${sums.url} lists it`))
    const actual = sha256Hex(got.body)
    attempts = got.attempts
    if (actual !== sha256) {
      const why = `${library.url} has SHA-256 ${actual} but ${sums.url} lists ${sha256}; nothing was written`
      throw downloadError(CODES.CHECKSUM_MISMATCH, why, { url: library.url, attempts, expected: sha256, actual })
    }
    writes.push([library.path, got.body])
  }
  if (!fetched.body.equals((await readIfFile(sums.path)) ?? Buffer.alloc(0))) writes.push([sums.path, fetched.body])
  if (o.signal?.aborted) throw classify(null, library.url, o)
  await writeAtomically(o.dir, writes).catch((err) => {
    throw downloadError(CODES.WRITE_FAILED, `cannot write into ${o.dir}: ${err.message}`, { cause: err })
  })
  if (!reused) o.onProgress({ type: 'written', file: library.name, path: library.path, sha256 })
  const { version, platform, arch } = o
  return { path: library.path, sha256, reused, url: library.url, attempts, sumsPath: sums.path, sumsUrl: sums.url, version, platform, arch, file: library.name }
}

// ---- the command ------------------------------------------------------------------------------

const about = `Downloads go-warmup-<platform>-<arch>.<so|dylib> and its sums file from an asherah-cobhan release,
checks the library's SHA-256 against it, and writes both into --dir atomically. A library already
there that matches is kept.`

const flags = {
  version: { type: 'string', arg: '<vX.Y.Z>', help: `release (default ${DEFAULT_RELEASE})` },
  dir: { type: 'string', arg: '<path>', help: 'folder to write into (default: lib)' },
  'base-url': { type: 'string', arg: '<url>', help: `files come from <url>/<version>/<file> (default $ASHERAH_WARMUP_BASE_URL, else ${DEFAULT_BASE_URL})` },
  platform: { type: 'string', arg: '<os>', help: "linux or darwin (default: this machine's)" },
  arch: { type: 'string', arg: '<cpu>', help: "x64 or arm64 (default: this machine's)" },
  'timeout-ms': { type: 'string', arg: '<n>', help: `bound on each attempt, first to last byte (default ${NUMBERS['timeout-ms'][0]})` },
  'deadline-ms': { type: 'string', arg: '<n>', help: `bound on all attempts together (default ${NUMBERS['deadline-ms'][0]})` },
  retries: { type: 'string', arg: '<n>', help: `retries on network errors, timeouts, HTTP 429 and 5xx (default ${NUMBERS.retries[0]})` },
  json: { type: 'boolean', help: 'print the result (or the error) as one JSON object on stdout' },
}

const notes = `ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS: first retry delay, doubled per retry (default ${NUMBERS['backoff-ms'][0]}).
Exit codes: 0 written or kept, 1 failed, 2 usage error, 128+n after signal n.`

/** The stderr line for each progress event; `written` has none, the result says it. */
const PROGRESS = {
  request: (e) => e.attempt === 1 && `fetching ${e.url}`,
  retry: (e) => `retrying ${e.url} in ${e.delayMs} ms (attempt ${e.nextAttempt} of ${e.maxAttempts}): ${e.error.reason}`,
  reused: (e) => `${e.path} is already present and matches the sums file; not downloading it again`,
}
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** SIGINT, SIGTERM and SIGHUP abort the download with nothing written; a second one kills it the usual way. */
async function run({ json, ...values }, io) {
  const controller = new AbortController()
  const abort = (signal) => controller.abort(Object.assign(new Error(`received ${signal}`), { signal }))
  for (const name of SIGNALS) process.once(name, abort)
  const onProgress = (event) => {
    const line = PROGRESS[event.type]?.(event)
    if (line) io.stderr.write(`${line}\n`)
  }
  const given = Object.fromEntries(Object.entries(values).map(([flag, value]) => [camelCase(flag), value]))
  try {
    const result = await downloadWarmupLibrary({ ...given, env: io.env, cwd: io.cwd, signal: controller.signal, onProgress })
    io.stdout.write(json ? `${JSON.stringify({ ok: true, ...result })}\n` : `${result.path}: ${result.reused ? 'kept' : 'written'} (sha256 ${result.sha256})\n`)
    return 0
  } catch (err) {
    const code = isOurs(err) ? err.code : CODES.FAILED
    const message = code === err.code ? err.message : `unexpected error: ${err.stack ?? err}`
    io.stderr.write(`asherah-warmup download: ${code}: ${message}\n`)
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, code, message, url: err.url, status: err.status, attempts: err.attempts })}\n`)
    if (controller.signal.aborted) return 128 + require('node:os').constants.signals[controller.signal.reason.signal]
    return code === CODES.INVALID_OPTION ? 2 : 1
  } finally {
    for (const name of SIGNALS) process.removeListener(name, abort)
  }
}

const command = { summary: 'Download an upstream go-warmup library and its sums file, verified', about, options: flags, notes, run }

module.exports = { downloadWarmupLibrary, DEFAULT_RELEASE, DEFAULT_BASE_URL, MAX_BYTES, STALE_MS, CODES, command }
