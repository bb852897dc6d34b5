'use strict'
// `asherah-warmup download`: a thin wrapper around lib/download.js for people who take the
// upstream release files instead of the platform package.

const os = require('node:os')
const {
  downloadWarmupLibrary,
  removeTempFilesSync,
  CODES,
  DEFAULT_RELEASE,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_BACKOFF_MS,
} = require('../download')

const summary = 'Download an upstream go-warmup library and its sums file, verified'

const USAGE = `Usage: asherah-warmup download [options]

Downloads go-warmup-<platform>-<arch>.<so|dylib> and its sums file (SHA256SUMS, or
SHA256SUMS-darwin) from an asherah-cobhan release, checks the library's SHA-256 against
the sums file, and writes both into --dir. A library already there that matches the
sums file is kept and not downloaded again.

Options:
  --version <vX.Y.Z>  release to download (default ${DEFAULT_RELEASE})
  --dir <path>        folder to write into (default: lib, relative to the current folder)
  --base-url <url>    release download base; files come from <url>/<version>/<file>
                      (default $ASHERAH_WARMUP_BASE_URL, else
                      ${DEFAULT_BASE_URL})
  --platform <name>   linux or darwin (default: this machine's)
  --arch <name>       x64 or arm64 (default: this machine's)
  --timeout-ms <n>    give up an attempt after n ms without data (default ${DEFAULT_TIMEOUT_MS})
  --retries <n>       retries on network errors, timeouts, HTTP 429 and 5xx (default ${DEFAULT_RETRIES})
  --json              print the result (or the error) as one JSON object on stdout
  -h, --help          print this help

Environment:
  ASHERAH_WARMUP_BASE_URL             default for --base-url
  ASHERAH_WARMUP_DOWNLOAD_BACKOFF_MS  first retry delay in ms, doubled per retry (default ${DEFAULT_BACKOFF_MS})

Exit codes: 0 written or reused, 1 failed, 2 usage error (bad option or value).
Errors print as "asherah-warmup download: <CODE>: <message>".
`

const VALUE_FLAGS = {
  '--version': 'version',
  '--dir': 'dir',
  '--base-url': 'baseUrl',
  '--platform': 'platform',
  '--arch': 'arch',
  '--timeout-ms': 'timeoutMs',
  '--retries': 'retries',
}
const NUMBER_FLAGS = new Set(['timeoutMs', 'retries'])
const BOOLEAN_FLAGS = { '--json': 'json', '--help': 'help', '-h': 'help' }

function optionError(message) {
  const err = new Error(message)
  err.code = CODES.INVALID_OPTION
  return err
}

/** `--flag value` and `--flag=value`; throws ERR_ASHERAH_WARMUP_INVALID_OPTION. */
function parseArgs(argv) {
  const options = {}
  const flags = { json: false, help: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (Object.prototype.hasOwnProperty.call(BOOLEAN_FLAGS, name)) {
      if (eq !== -1) throw optionError(`${name} takes no value`)
      flags[BOOLEAN_FLAGS[name]] = true
      continue
    }
    if (!Object.prototype.hasOwnProperty.call(VALUE_FLAGS, name)) {
      throw optionError(arg.startsWith('-') ? `unknown option ${name}` : `unexpected argument ${JSON.stringify(arg)}`)
    }
    let value
    if (eq !== -1) {
      value = arg.slice(eq + 1)
    } else {
      if (i + 1 >= argv.length) throw optionError(`${name} needs a value`)
      value = argv[++i]
    }
    if (value === '') throw optionError(`${name} needs a non-empty value`)
    const key = VALUE_FLAGS[name]
    if (NUMBER_FLAGS.has(key)) {
      if (!/^\d+$/.test(value)) throw optionError(`${name} must be a whole number, got ${JSON.stringify(value)}`)
      options[key] = Number(value)
    } else {
      options[key] = value
    }
  }
  return { options, ...flags }
}

function describeProgress(event) {
  switch (event.type) {
    case 'request':
      return event.attempt === 1 ? `fetching ${event.url}` : null
    case 'retry':
      return `retrying ${event.url} in ${event.delayMs} ms (attempt ${event.nextAttempt} of ${event.maxAttempts}): ${event.error.reason || event.error.message}`
    case 'reused':
      return `${event.path} is already present and matches the sums file; not downloading it again`
    default:
      return null
  }
}

const SIGNALS = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
const signalExitCode = (name) => 128 + (os.constants.signals[name] || 1)

async function run(argv, io) {
  const out = (line) => io.stdout.write(`${line}\n`)
  const err = (line) => io.stderr.write(`${line}\n`)
  const fail = (code, message, json, extra = {}) => {
    err(`asherah-warmup download: ${code}: ${message}`)
    if (json) out(JSON.stringify({ ok: false, code, message, ...extra }))
  }

  let args
  try {
    args = parseArgs(argv)
  } catch (e) {
    fail(e.code, e.message, argv.includes('--json'))
    err('Run `asherah-warmup download --help` for the options.')
    return 2
  }
  if (args.help) {
    io.stdout.write(USAGE)
    return 0
  }

  // A signal aborts the download, which removes its temporary files; a second one exits at once.
  const controller = new AbortController()
  let caught = null
  const onSignal = (name) => {
    if (caught) {
      removeTempFilesSync()
      process.exit(signalExitCode(name))
    }
    caught = name
    controller.abort(new Error(`received ${name}`))
  }
  const handlers = SIGNALS.map((name) => [name, () => onSignal(name)])
  for (const [name, handler] of handlers) process.on(name, handler)

  try {
    const result = await downloadWarmupLibrary({
      ...args.options,
      env: io.env,
      cwd: io.cwd,
      signal: controller.signal,
      onProgress: (event) => {
        const line = describeProgress(event)
        if (line) err(line)
      },
    })
    if (args.json) {
      out(JSON.stringify({ ok: true, ...result }))
    } else if (result.reused) {
      out(`${result.path}: kept (sha256 ${result.sha256})`)
    } else {
      out(`${result.path}: written (sha256 ${result.sha256})`)
    }
    return 0
  } catch (e) {
    const code = typeof e.code === 'string' && e.code.startsWith('ERR_ASHERAH_WARMUP_') ? e.code : CODES.FAILED
    const message = code === e.code ? e.message : `unexpected error: ${(e && e.stack) || e}`
    const extra = {}
    if (e.url) extra.url = e.url
    if (e.status) extra.status = e.status
    if (e.attempts !== undefined) extra.attempts = e.attempts
    fail(code, message, args.json, extra)
    if (code === CODES.ABORTED && caught) return signalExitCode(caught)
    return code === CODES.INVALID_OPTION ? 2 : 1
  } finally {
    for (const [name, handler] of handlers) process.removeListener(name, handler)
  }
}

module.exports = { run, summary, parseArgs, USAGE }
