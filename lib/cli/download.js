'use strict'
// `asherah-warmup download`: lib/download.js on the command line. SIGINT, SIGTERM and SIGHUP abort
// it with nothing written; a second one kills it the usual way.

const { downloadWarmupLibrary, CODES, DEFAULT_RELEASE, DEFAULT_BASE_URL, NUMBERS } = require('../download')

const summary = 'Download an upstream go-warmup library and its sums file, verified'

const usage = `Usage: asherah-warmup download [options]

Downloads go-warmup-<platform>-<arch>.<so|dylib> and its sums file from an asherah-cobhan release,
checks the library's SHA-256 against it, and writes both into --dir atomically. A library already
there that matches is kept.

  --version <vX.Y.Z>   release (default ${DEFAULT_RELEASE})
  --dir <path>         folder to write into (default: lib)
  --base-url <url>     files come from <url>/<version>/<file> (default $ASHERAH_WARMUP_BASE_URL,
                       else ${DEFAULT_BASE_URL})
  --platform, --arch   linux or darwin, x64 or arm64 (default: this machine's)
  --timeout-ms <n>     bound on each attempt, first to last byte (default ${NUMBERS.timeoutMs[0]})
  --deadline-ms <n>    bound on all attempts together (default ${NUMBERS.deadlineMs[0]})
  --retries <n>        retries on network errors, timeouts, HTTP 429 and 5xx (default ${NUMBERS.retries[0]})
  --json               print the result (or the error) as one JSON object on stdout

ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS: first retry delay, doubled per retry (default ${NUMBERS.backoffMs[0]}).
Exit codes: 0 written or kept, 1 failed, 2 usage error, 128+n after signal n.
`

const text = { type: 'string' }
const options = {
  version: text,
  dir: text,
  'base-url': text,
  platform: text,
  arch: text,
  'timeout-ms': text,
  'deadline-ms': text,
  retries: text,
  json: { type: 'boolean' },
}

const PROGRESS = {
  request: (e) => e.attempt === 1 && `fetching ${e.url}`,
  retry: (e) => `retrying ${e.url} in ${e.delayMs} ms (attempt ${e.nextAttempt} of ${e.maxAttempts}): ${e.error.reason}`,
  reused: (e) => `${e.path} is already present and matches the sums file; not downloading it again`,
}

async function run({ json, ...flags }, io) {
  const given = Object.fromEntries(Object.entries(flags).map(([name, value]) => [name.replace(/-(\w)/g, (_, c) => c.toUpperCase()), value]))
  const controller = new AbortController()
  let caught = null
  const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => [
    name,
    () => {
      caught = name
      controller.abort(new Error(`received ${name}`))
    },
  ])
  for (const [name, handler] of handlers) process.once(name, handler)
  const onProgress = (event) => {
    const line = PROGRESS[event.type]?.(event)
    if (line) io.stderr.write(`${line}\n`)
  }
  try {
    const result = await downloadWarmupLibrary({ ...given, env: io.env, cwd: io.cwd, signal: controller.signal, onProgress })
    io.stdout.write(json ? `${JSON.stringify({ ok: true, ...result })}\n` : `${result.path}: ${result.reused ? 'kept' : 'written'} (sha256 ${result.sha256})\n`)
    return 0
  } catch (err) {
    const code = String(err.code).startsWith('ERR_ASHERAH_WARMUP_') ? err.code : CODES.FAILED
    const message = code === err.code ? err.message : `unexpected error: ${err.stack ?? err}`
    io.stderr.write(`asherah-warmup download: ${code}: ${message}\n`)
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, code, message, url: err.url, status: err.status, attempts: err.attempts })}\n`)
    return caught ? 128 + require('node:os').constants.signals[caught] : code === CODES.INVALID_OPTION ? 2 : 1
  } finally {
    for (const [name, handler] of handlers) process.removeListener(name, handler)
  }
}

module.exports = { summary, usage, options, run }
