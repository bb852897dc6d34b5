'use strict'
// Downloads the upstream go-warmup library for one platform from an asherah-cobhan release,
// checks it against the release's sums file, and writes both into a folder.
//
// Guarantees: a file at a final name is always complete and verified (written to a temporary
// file in the same folder, fsynced, checked, then renamed); temporary files are removed on every
// failure path, including an abort through `signal`; a folder this call created is removed again
// if it ends up empty.
//
// HTTP goes through node:http/node:https rather than global fetch: they exist unflagged and
// without an ExperimentalWarning on every Node >= 18 and on Bun, and give direct control over
// what this code relies on: a redirect count with a protocol check per hop, an idle timer that
// can destroy the socket mid-body, and a body length compared against Content-Length.

const crypto = require('node:crypto')
const fs = require('node:fs')
const fsp = require('node:fs/promises')
const http = require('node:http')
const https = require('node:https')
const path = require('node:path')
const { GO_WARMUP_FILES, libraryName, sumsFileName, packageTriple } = require('./platform')
const { CODES: SHARED_CODES } = require('./errors')

/** The release downloaded when none is named: the first asherah-cobhan release with go-warmup libraries. */
const DEFAULT_RELEASE = 'v0.5.0'
const DEFAULT_BASE_URL = 'https://github.com/godaddy/asherah-cobhan/releases/download'
const DEFAULT_TIMEOUT_MS = 30000
const DEFAULT_RETRIES = 3
const DEFAULT_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 10000
const MAX_RETRIES = 20
const MAX_TIMEOUT_MS = 2147483647 // setTimeout's limit
const MAX_REDIRECTS = 5
const MAX_SUMS_BYTES = 1024 * 1024

// Codes of download errors; the first two are shared with the loader (lib/errors.js).
const CODES = Object.freeze({
  INVALID_OPTION: SHARED_CODES.INVALID_OPTION,
  UNSUPPORTED_PLATFORM: SHARED_CODES.UNSUPPORTED_PLATFORM,
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_DOWNLOAD_NOT_FOUND',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_DOWNLOAD_CHECKSUM_MISMATCH',
  FAILED: 'ERR_ASHERAH_WARMUP_DOWNLOAD_FAILED',
  TIMEOUT: 'ERR_ASHERAH_WARMUP_DOWNLOAD_TIMEOUT',
  WRITE_FAILED: 'ERR_ASHERAH_WARMUP_DOWNLOAD_WRITE_FAILED',
  ABORTED: 'ERR_ASHERAH_WARMUP_DOWNLOAD_ABORTED',
})

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const VERSION_RE = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/

let userAgent
function getUserAgent() {
  if (!userAgent) {
    let version = '0.0.0'
    try { version = require('../package.json').version } catch {}
    const runtime = process.versions.bun ? `bun/${process.versions.bun}` : `node/${process.versions.node}`
    userAgent = `asherah-warmup/${version} (${runtime})`
  }
  return userAgent
}

function makeError(code, message, extra) {
  const err = new Error(message)
  err.code = code
  if (extra) {
    const { cause, ...rest } = extra
    if (cause !== undefined) Object.defineProperty(err, 'cause', { value: cause, writable: true, configurable: true })
    Object.assign(err, rest)
  }
  return err
}

const invalid = (message) => makeError(CODES.INVALID_OPTION, message)

// ---- options ------------------------------------------------------------------------------------

function intOption(name, value, fallback, min, max) {
  if (value === undefined || value === null) return fallback
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return n
}

function parseBaseUrl(value) {
  let url
  try {
    url = new URL(String(value))
  } catch {
    throw invalid(`base URL is not a URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`base URL must be http: or https:, got ${JSON.stringify(value)}`)
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalid(`base URL must not carry a query, fragment or credentials: ${JSON.stringify(value)}`)
  }
  return url.href.replace(/\/+$/, '')
}

function resolveOptions(options) {
  const env = options.env || process.env
  const rawVersion = options.version === undefined || options.version === null ? DEFAULT_RELEASE : options.version
  const match = typeof rawVersion === 'string' ? VERSION_RE.exec(rawVersion.trim()) : null
  if (!match) throw invalid(`version must look like v1.2.3, got ${JSON.stringify(rawVersion)}`)
  const version = `v${match[1]}`

  const platform = options.platform || process.platform
  const arch = options.arch || process.arch
  if (typeof platform !== 'string' || typeof arch !== 'string') throw invalid('platform and arch must be strings')
  const file = libraryName(platform, arch)
  if (!file) {
    throw makeError(
      CODES.UNSUPPORTED_PLATFORM,
      `no go-warmup library is published for ${platform}-${arch} (published: ${Object.keys(GO_WARMUP_FILES).join(', ')})`,
      { platform, arch },
    )
  }

  const baseUrl = parseBaseUrl(
    options.baseUrl !== undefined && options.baseUrl !== null
      ? options.baseUrl
      : env.ASHERAH_WARMUP_BASE_URL || DEFAULT_BASE_URL,
  )
  const dirOption = options.dir === undefined || options.dir === null ? 'lib' : options.dir
  if (typeof dirOption !== 'string' || dirOption === '') throw invalid('dir must be a non-empty path')

  return {
    version,
    platform,
    arch,
    file,
    sumsName: sumsFileName(platform),
    baseUrl,
    dir: path.resolve(options.cwd || process.cwd(), dirOption),
    timeoutMs: intOption('timeout-ms', options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS),
    retries: intOption('retries', options.retries, DEFAULT_RETRIES, 0, MAX_RETRIES),
    backoffMs: intOption(
      'ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS',
      options.backoffMs !== undefined ? options.backoffMs : env.ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS || undefined,
      DEFAULT_BACKOFF_MS,
      0,
      MAX_BACKOFF_MS,
    ),
    signal: options.signal,
    onProgress: typeof options.onProgress === 'function' ? options.onProgress : () => {},
  }
}

const releaseUrl = (o, name) => `${o.baseUrl}/${encodeURIComponent(o.version)}/${encodeURIComponent(name)}`

// ---- sums files ---------------------------------------------------------------------------------

/** Map of file name -> lowercase hex digest, from `sha256sum` output (`./name`, `name`, `*name`). */
function parseSums(text) {
  const entries = new Map()
  for (const raw of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+?)\s*$/.exec(raw)
    if (!m) continue
    const name = m[2].replace(/^\.\//, '')
    if (!entries.has(name)) entries.set(name, m[1].toLowerCase())
  }
  return entries
}

// ---- HTTP -----------------------------------------------------------------------------------------

function abortError(signal) {
  const reason = signal && signal.reason
  const why = reason instanceof Error ? reason.message : reason ? String(reason) : 'aborted'
  return makeError(CODES.ABORTED, `download interrupted (${why}); temporary files removed`)
}

// An error one attempt ran into at `url` (a redirect hop, maybe); `retryable` ones are tried
// again. Its message is `<reason> from <url>`; `reason` alone goes into the final message.
function attemptError(reason, { retryable, timeout = false, code = CODES.FAILED, status, url, cause } = {}) {
  const err = makeError(code, `${reason} from ${url}`, { status, url, cause })
  Object.defineProperty(err, 'reason', { value: reason })
  Object.defineProperty(err, 'retryable', { value: Boolean(retryable) })
  Object.defineProperty(err, 'timeout', { value: timeout })
  return err
}

function sendRequest(target, register) {
  return new Promise((resolve, reject) => {
    const mod = target.protocol === 'https:' ? https : http
    const req = mod.get(target, {
      agent: false,
      headers: { 'user-agent': getUserAgent(), accept: '*/*', 'accept-encoding': 'identity' },
    })
    register(req)
    req.once('response', resolve)
    req.once('error', reject)
  })
}

/**
 * One attempt at GET `url`: follows redirects, calls `onResponse()` once a 200 arrives and
 * `onChunk(chunk)` for each piece of its body. The idle timer covers connecting, every redirect
 * hop, waiting for headers and every gap between body chunks.
 */
async function httpGet(url, o, { onResponse, onChunk }) {
  let req
  let res
  let failure
  const fail = (err) => {
    if (!failure) failure = err
    if (res) res.destroy(failure)
    if (req) req.destroy(failure)
  }
  let target = new URL(url)
  let timer
  const touch = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      fail(attemptError(`no data for ${o.timeoutMs} ms`, { retryable: true, timeout: true, url: target.href }))
    }, o.timeoutMs)
  }
  const onAbort = () => fail(abortError(o.signal))
  if (o.signal) {
    if (o.signal.aborted) throw abortError(o.signal)
    o.signal.addEventListener('abort', onAbort)
  }
  try {
    touch()
    for (let redirects = 0; ; redirects++) {
      res = undefined
      try {
        res = await sendRequest(target, (r) => {
          req = r
          if (failure) r.destroy(failure)
        })
      } catch (err) {
        if (failure) throw failure
        throw attemptError(`${err.code || err.name}: ${err.message}`, { retryable: true, url: target.href, cause: err })
      }
      res.on('error', () => {}) // surfaced through the iterator or `failure`
      touch()
      const status = res.statusCode
      if (REDIRECT_STATUSES.has(status)) {
        res.resume()
        const location = res.headers.location
        if (!location) throw attemptError(`HTTP ${status} without a Location header`, { status, url: target.href })
        if (redirects >= MAX_REDIRECTS) throw attemptError(`more than ${MAX_REDIRECTS} redirects`, { status, url })
        let next
        try {
          next = new URL(location, target)
        } catch {
          throw attemptError(`bad redirect Location ${JSON.stringify(location)}`, { status, url: target.href })
        }
        if (next.protocol !== 'https:' && next.protocol !== 'http:') {
          throw attemptError(`redirect to unsupported protocol ${next.protocol}`, { status, url: target.href })
        }
        if (target.protocol === 'https:' && next.protocol === 'http:') {
          throw attemptError(`refused redirect from https to http (${next.href})`, { status, url: target.href })
        }
        req.destroy()
        target = next
        continue
      }
      if (status !== 200) {
        res.resume()
        const retryable = status === 429 || status >= 500
        const code = status === 404 || status === 410 ? CODES.NOT_FOUND : CODES.FAILED
        throw attemptError(`HTTP ${status}`, { retryable, code, status, url: target.href })
      }

      const lengthHeader = res.headers['content-length']
      const expected = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null
      let received = 0
      await onResponse()
      for await (const chunk of res) {
        touch()
        received += chunk.length
        await onChunk(chunk)
        touch()
      }
      if (failure) throw failure
      if ((expected !== null && received !== expected) || res.aborted) {
        const want = expected !== null ? `${expected}` : 'the full body'
        throw attemptError(`connection closed after ${received} of ${want} bytes`, { retryable: true, url: target.href })
      }
      return { bytes: received, finalUrl: target.href }
    }
  } catch (err) {
    if (failure) throw failure
    if (err.code && String(err.code).startsWith('ERR_ASHERAH_WARMUP_')) throw err
    // The body stream broke (reset, premature close) without our timer or signal being the cause.
    throw attemptError(`${err.code || err.name}: ${err.message}`, { retryable: true, url: target.href, cause: err })
  } finally {
    clearTimeout(timer)
    if (o.signal) o.signal.removeEventListener('abort', onAbort)
    if (res) res.destroy()
    if (req) req.destroy()
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal))
    }
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (signal) signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Exponential backoff with jitter: base * 2^(n-1), scaled by a random factor in [0.5, 1]. */
function backoffDelay(base, attempt) {
  const ceiling = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.5 + Math.random() * 0.5))
}

async function withRetries(url, o, fileName, fn) {
  for (let attempt = 1; ; attempt++) {
    if (o.signal && o.signal.aborted) throw abortError(o.signal)
    o.onProgress({ type: 'request', file: fileName, url, attempt })
    try {
      return { value: await fn(attempt), attempts: attempt }
    } catch (err) {
      if (!err.retryable) {
        if (err.code !== CODES.ABORTED && err.attempts === undefined) err.attempts = attempt
        throw err
      }
      if (attempt > o.retries) {
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`
        const hop = err.url && err.url !== url ? ` (at ${err.url})` : ''
        if (err.timeout) {
          throw makeError(CODES.TIMEOUT, `GET ${url} timed out after ${tries}: ${err.reason}${hop}`, { url, attempts: attempt, cause: err })
        }
        throw makeError(CODES.FAILED, `GET ${url} failed after ${tries}; last error: ${err.reason}${hop}`, { url, attempts: attempt, status: err.status, cause: err })
      }
      const delayMs = backoffDelay(o.backoffMs, attempt)
      o.onProgress({ type: 'retry', file: fileName, url, attempt, nextAttempt: attempt + 1, maxAttempts: o.retries + 1, delayMs, error: err })
      await sleep(delayMs, o.signal)
    }
  }
}

// ---- files ----------------------------------------------------------------------------------------

/** Temporary files of downloads in progress in this process (for removeTempFilesSync). */
const liveTempFiles = new Set()

/** Removes every temporary file a download in this process still holds; for a forced exit. */
function removeTempFilesSync() {
  for (const file of liveTempFiles) {
    try { fs.rmSync(file, { force: true }) } catch {}
    liveTempFiles.delete(file)
  }
}

const tempName = (dir, name) => path.join(dir, `.${name}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`)

function writeError(err, what) {
  if (err.code && String(err.code).startsWith('ERR_ASHERAH_WARMUP_')) return err
  return makeError(CODES.WRITE_FAILED, `cannot ${what}: ${err.message}`, { cause: err })
}

/** What this download has made on disk and must undo if it fails. */
class Scratch {
  constructor(dir) {
    this.dir = dir
    this.temps = new Set()
    this.createdDir = null
  }

  async ensureDir() {
    try {
      const first = await fsp.mkdir(this.dir, { recursive: true })
      if (first && !this.createdDir) this.createdDir = first
    } catch (err) {
      throw writeError(err, `create ${this.dir}`)
    }
  }

  track(file) {
    this.temps.add(file)
    liveTempFiles.add(file)
  }

  async remove(file) {
    this.temps.delete(file)
    liveTempFiles.delete(file)
    await fsp.rm(file, { force: true }).catch(() => {})
  }

  async commit(tmp, final) {
    try {
      await fsp.rename(tmp, final)
    } catch (err) {
      throw writeError(err, `rename ${tmp} to ${final}`)
    }
    this.temps.delete(tmp)
    liveTempFiles.delete(tmp)
  }

  /** Removes temporary files, then the folders this download created, deepest first, if empty. */
  async undo() {
    for (const file of [...this.temps]) await this.remove(file)
    if (!this.createdDir) return
    let dir = this.dir
    const stop = path.dirname(this.createdDir)
    while (dir !== stop && dir.startsWith(this.createdDir)) {
      try {
        await fsp.rmdir(dir)
      } catch {
        break
      }
      dir = path.dirname(dir)
    }
  }
}

async function writeAll(fh, chunk) {
  let offset = 0
  while (offset < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset)
    offset += bytesWritten
  }
}

/** Creates a fresh temporary file, writes `produce`'s bytes into it, fsyncs; returns its path and SHA-256. */
async function writeTemp(scratch, name, produce) {
  const tmp = tempName(scratch.dir, name)
  const hash = crypto.createHash('sha256')
  let fh
  const open = async () => {
    scratch.track(tmp)
    try {
      fh = await fsp.open(tmp, 'wx', 0o644)
    } catch (err) {
      throw writeError(err, `create ${tmp}`)
    }
  }
  const write = async (chunk) => {
    hash.update(chunk)
    try {
      await writeAll(fh, chunk)
    } catch (err) {
      throw writeError(err, `write ${tmp}`)
    }
  }
  try {
    const extra = await produce(open, write)
    try {
      await fh.sync()
    } catch (err) {
      throw writeError(err, `fsync ${tmp}`)
    }
    await fh.close()
    fh = undefined
    return { tmp, sha256: hash.digest('hex'), ...extra }
  } catch (err) {
    if (fh) await fh.close().catch(() => {})
    await scratch.remove(tmp)
    throw err
  }
}

/** SHA-256 of a regular file, or null if there is none that can be read. */
async function fileSha256(file) {
  try {
    const stat = await fsp.stat(file)
    if (!stat.isFile()) return null
    const hash = crypto.createHash('sha256')
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk)
    return hash.digest('hex')
  } catch {
    return null
  }
}

async function sameContent(file, bytes) {
  try {
    return (await fsp.readFile(file)).equals(bytes)
  } catch {
    return false
  }
}

async function syncDir(dir) {
  if (process.platform === 'win32') return
  let fh
  try {
    fh = await fsp.open(dir, 'r')
    await fh.sync()
  } catch {
    // Best effort: some filesystems refuse to fsync a directory.
  } finally {
    if (fh) await fh.close().catch(() => {})
  }
}

// ---- the download ---------------------------------------------------------------------------------

function notFoundFix(o) {
  const triple = packageTriple(o.platform, o.arch)
  const pkg = triple ? ` (asherah-warmup-${triple})` : ''
  return (
    `release ${o.version} does not ship go-warmup libraries; go-warmup libraries ship from ${DEFAULT_RELEASE} on. ` +
    `Fix: pass --version with a release that ships them (e.g. --version ${DEFAULT_RELEASE}), ` +
    `or install asherah-warmup's platform package${pkg}, which carries the library`
  )
}

/**
 * Downloads, verifies and writes the go-warmup library of (platform, arch) from an asherah-cobhan
 * release, with the release's sums file beside it.
 *
 * @param {object} [options]
 * @param {string} [options.version]   release tag, default DEFAULT_RELEASE
 * @param {string} [options.dir]       output folder, default `lib` (relative to options.cwd or process.cwd())
 * @param {string} [options.baseUrl]   default $ASHERAH_WARMUP_BASE_URL or DEFAULT_BASE_URL; URL = <base>/<version>/<file>
 * @param {string} [options.platform]  default process.platform
 * @param {string} [options.arch]      default process.arch
 * @param {number} [options.timeoutMs] per-attempt idle timeout, default 30000
 * @param {number} [options.retries]   retries after the first attempt, default 3
 * @param {number} [options.backoffMs] first retry delay, default $ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS or 500
 * @param {AbortSignal} [options.signal] aborting removes temporary files and rejects with ERR_ASHERAH_WARMUP_DOWNLOAD_ABORTED
 * @param {(event: object) => void} [options.onProgress] events: request, retry, reused, written
 * @param {object} [options.env]       environment to read, default process.env
 * @returns {Promise<{path: string, sha256: string, reused: boolean, url: string, attempts: number,
 *   sumsPath: string, sumsUrl: string, version: string, platform: string, arch: string, file: string}>}
 *   `attempts` counts the library's requests (0 when an existing verified file was reused).
 */
async function downloadWarmupLibrary(options = {}) {
  const o = resolveOptions(options)
  const url = releaseUrl(o, o.file)
  const sumsUrl = releaseUrl(o, o.sumsName)
  const finalPath = path.join(o.dir, o.file)
  const sumsPath = path.join(o.dir, o.sumsName)
  const scratch = new Scratch(o.dir)

  try {
    // 1. The sums file, in memory.
    let sumsBody
    try {
      const sums = await withRetries(sumsUrl, o, o.sumsName, () => {
        const chunks = []
        let size = 0
        return httpGet(sumsUrl, o, {
          onResponse: async () => {},
          onChunk: async (chunk) => {
            size += chunk.length
            if (size > MAX_SUMS_BYTES) throw attemptError(`a body over ${MAX_SUMS_BYTES} bytes (not a sums file)`, { url: sumsUrl })
            chunks.push(Buffer.from(chunk))
          },
        }).then(() => Buffer.concat(chunks))
      })
      sumsBody = sums.value
    } catch (err) {
      if (err.code === CODES.NOT_FOUND) {
        throw makeError(CODES.NOT_FOUND, `${sumsUrl} was not found (HTTP ${err.status}): ${notFoundFix(o)}`, { url: sumsUrl, status: err.status, attempts: err.attempts })
      }
      throw err
    }
    const entries = parseSums(sumsBody.toString('utf8'))
    if (entries.size === 0) throw makeError(CODES.FAILED, `${sumsUrl} is not a SHA256SUMS file (no "<sha256>  <file>" lines)`, { url: sumsUrl })
    const expected = entries.get(o.file)
    if (!expected) {
      throw makeError(CODES.NOT_FOUND, `${sumsUrl} does not list ${o.file}: ${notFoundFix(o)}`, { url: sumsUrl })
    }

    // 2. The library: reuse a verified one, or download to a temporary file and verify.
    let reused = false
    let attempts = 0
    let libTmp = null
    if ((await fileSha256(finalPath)) === expected) {
      reused = true
      o.onProgress({ type: 'reused', file: o.file, path: finalPath, sha256: expected })
    } else {
      await scratch.ensureDir()
      let got
      try {
        got = await withRetries(url, o, o.file, () =>
          writeTemp(scratch, o.file, (open, write) => httpGet(url, o, { onResponse: open, onChunk: write })),
        )
      } catch (err) {
        if (err.code === CODES.NOT_FOUND) {
          throw makeError(CODES.NOT_FOUND, `${url} was not found (HTTP ${err.status}) although ${sumsUrl} lists it: ${notFoundFix(o)}`, { url, status: err.status, attempts: err.attempts })
        }
        throw err
      }
      attempts = got.attempts
      libTmp = got.value.tmp
      if (got.value.sha256 !== expected) {
        throw makeError(
          CODES.CHECKSUM_MISMATCH,
          `${url} has SHA-256 ${got.value.sha256} but ${sumsUrl} lists ${expected}; nothing was written`,
          { url, attempts, expected, actual: got.value.sha256 },
        )
      }
    }

    // 3. The sums file beside it (verbatim), unless an identical one is already there.
    let sumsTmp = null
    if (!(await sameContent(sumsPath, sumsBody))) {
      await scratch.ensureDir()
      sumsTmp = (await writeTemp(scratch, o.sumsName, async (open, write) => {
        await open()
        await write(sumsBody)
      })).tmp
    }

    // 4. Publish: both verified and fsynced, so rename them onto their final names.
    if (libTmp) await scratch.commit(libTmp, finalPath)
    if (sumsTmp) await scratch.commit(sumsTmp, sumsPath)
    if (libTmp || sumsTmp) await syncDir(o.dir)
    if (libTmp) o.onProgress({ type: 'written', file: o.file, path: finalPath, sha256: expected })

    return {
      path: finalPath,
      sha256: expected,
      reused,
      url,
      attempts,
      sumsPath,
      sumsUrl,
      version: o.version,
      platform: o.platform,
      arch: o.arch,
      file: o.file,
    }
  } catch (err) {
    await scratch.undo()
    throw err
  }
}

module.exports = {
  downloadWarmupLibrary,
  removeTempFilesSync,
  parseSums,
  DEFAULT_RELEASE,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_BACKOFF_MS,
  MAX_REDIRECTS,
  CODES,
}
