'use strict'
// `asherah-warmup download`: lib/download.js for people who take the upstream release files
// instead of the platform package. SIGINT, SIGTERM and SIGHUP abort it (nothing is written);
// a second one kills it the usual way.

const { downloadWarmupLibrary, CODES, DEFAULT_RELEASE, DEFAULT_BASE_URL, NUMBERS, MAX_BYTES } = require('../download')

const summary = 'Download an upstream go-warmup library and its sums file, verified'

const usage = `Usage: asherah-warmup download [options]

Downloads go-warmup-<platform>-<arch>.<so|dylib> and its sums file (SHA256SUMS, or
SHA256SUMS-darwin) from an asherah-cobhan release, checks the library's SHA-256 against the
sums file, and writes both into --dir, each atomically. A library already there that matches
is kept. Bodies over ${MAX_BYTES.library >> 20} MiB (library) or ${MAX_BYTES.sums >> 20} MiB (sums file) are refused.

Options:
  --version <vX.Y.Z>   release to download (default ${DEFAULT_RELEASE})
  --dir <path>         folder to write into (default: lib, relative to the current folder)
  --base-url <url>     files come from <url>/<version>/<file> (default $ASHERAH_WARMUP_BASE_URL,
                       else ${DEFAULT_BASE_URL})
  --platform <name>    linux or darwin (default: this machine's)
  --arch <name>        x64 or arm64 (default: this machine's)
  --timeout-ms <n>     bound on each attempt, start to last byte (default ${NUMBERS.timeoutMs[0]})
  --deadline-ms <n>    bound on all attempts together (default ${NUMBERS.deadlineMs[0]})
  --retries <n>        retries on network errors, timeouts, HTTP 429 and 5xx (default ${NUMBERS.retries[0]})
  --json               print the result (or the error) as one JSON object on stdout
  -h, --help           print this help

Environment: ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS, the first retry delay in ms, doubled per
retry (default ${NUMBERS.backoffMs[0]}).

Exit codes: 0 written or kept, 1 failed, 2 usage error, 128+n after signal n.
Errors print as "asherah-warmup download: <CODE>: <message>".
`

const text = { type: 'string' }
const options = { version: text, dir: text, 'base-url': text, platform: text, arch: text, 'timeout-ms': text, 'deadline-ms': text, retries: text, json: { type: 'boolean' } }

function progress(event) {
  if (event.type === 'request' && event.attempt === 1) return `fetching ${event.url}`
  if (event.type === 'retry') return `retrying ${event.url} in ${event.delayMs} ms (attempt ${event.nextAttempt} of ${event.maxAttempts}): ${event.error.reason}`
  if (event.type === 'reused') return `${event.path} is already present and matches the sums file; not downloading it again`
  return null
}

async function run(values, io) {
  const { json, ...given } = values
  const camel = Object.fromEntries(Object.entries(given).map(([k, v]) => [k.replace(/-(\w)/g, (_, c) => c.toUpperCase()), v]))
  const controller = new AbortController()
  let caught = null
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => [name, () => controller.abort(new Error(`received ${(caught = name)}`))])
  for (const [name, abort] of signals) process.once(name, abort)
  try {
    const result = await downloadWarmupLibrary({
      ...camel,
      env: io.env,
      cwd: io.cwd,
      signal: controller.signal,
      onProgress: (event) => progress(event) && io.stderr.write(`${progress(event)}\n`),
    })
    io.stdout.write(json ? `${JSON.stringify({ ok: true, ...result })}\n` : `${result.path}: ${result.reused ? 'kept' : 'written'} (sha256 ${result.sha256})\n`)
    return 0
  } catch (err) {
    const code = String(err.code).startsWith('ERR_ASHERAH_WARMUP_') ? err.code : CODES.FAILED
    const message = code === err.code ? err.message : `unexpected error: ${err.stack ?? err}`
    io.stderr.write(`asherah-warmup download: ${code}: ${message}\n`)
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, code, message, url: err.url, status: err.status, attempts: err.attempts })}\n`)
    return caught ? 128 + require('node:os').constants.signals[caught] : code === CODES.INVALID_OPTION ? 2 : 1
  } finally {
    for (const [name, abort] of signals) process.removeListener(name, abort)
  }
}

module.exports = { summary, usage, options, run }
