'use strict'
// The command line of a script whose header comment is its manual (scripts/pack.js,
// bench/startup.js): a util.parseArgs table, parsed strictly. -h/--help prints the header comment;
// an option with `min` takes a whole number of at least `min` and comes back as a number. A usage
// error exits 2 with one line naming the flag, then the header's usage line (its `  node ...` line).

const fs = require('node:fs')
const { parseArgs } = require('node:util')

/** The file's first run of `//` lines, without the `// `. */
function header(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  const start = lines.findIndex((l) => l.startsWith('//'))
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('//'))
  return lines.slice(start, end).map((l) => l.replace(/^\/\/ ?/, ''))
}

/** Returns { values, positionals, fail }; fail(message) is a usage error, as parseArgs' own are. */
function scriptArgs({ name, file, options, allowPositionals = false }, args = process.argv.slice(2)) {
  const manual = header(file)
  const fail = (message) => {
    process.stderr.write(`${name}: ${message}\nusage: ${manual.find((l) => /^\s+node /.test(l)).trim()} (--help for more)\n`)
    process.exit(2)
  }
  let parsed
  try {
    parsed = parseArgs({ args, allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h' } } })
  } catch (err) {
    if (!err.code?.startsWith('ERR_PARSE_ARGS_')) throw err
    fail(err.message.replace(/\n/g, ' '))
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${manual.join('\n')}\n`)
    process.exit(0)
  }
  for (const [option, { min }] of Object.entries(options)) {
    if (min === undefined || values[option] === undefined) continue
    if (!/^\d+$/.test(values[option]) || Number(values[option]) < min) {
      fail(`--${option} must be a whole number${min ? ` of at least ${min}` : ''}, got ${JSON.stringify(values[option])}`)
    }
    values[option] = Number(values[option])
  }
  return { values, positionals, fail }
}

module.exports = { scriptArgs }
