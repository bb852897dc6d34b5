'use strict'
// `asherah-warmup <command> [options]`. A command is { summary, about, options, notes, run }: its
// options are a util.parseArgs table whose `arg` and `help` also write its usage, and run(values,
// io) resolves to the exit code (io = { stdout, stderr, env, cwd }). Arguments are parsed here, strictly.

const { parseArgs } = require('node:util')
const { CODES } = require('../runtime')

const COMMANDS = { download: () => require('../download').command, doctor: () => require('./doctor') }

const usage = () => `Usage: asherah-warmup <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, load]) => `  ${name.padEnd(8)}  ${load().summary}`)
  .join('\n')}

Run \`asherah-warmup <command> --help\` for the options of a command.
`

function commandUsage(name, { about, options, notes }) {
  const rows = Object.entries(options).map(([option, { arg, help, default: value }]) => {
    const text = `${help}${value === undefined ? '' : ` (default ${value})`}`
    return `  ${`--${option}${arg ? ` ${arg}` : ''}`.padEnd(20)} ${text}`
  })
  return `Usage: asherah-warmup ${name} [options]\n\n${about}\n\n${rows.join('\n')}\n\n${notes}\n`
}

function print(stream, text, code) {
  stream.write(text)
  return code
}

/** Resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main(argv, io) {
  const [name, ...args] = argv
  if (['--help', '-h', 'help'].includes(name)) return print(io.stdout, usage(), 0)
  if (!Object.hasOwn(COMMANDS, name ?? '')) {
    return print(io.stderr, `${name === undefined ? '' : `asherah-warmup: unknown command ${JSON.stringify(name)}\n\n`}${usage()}`, 2)
  }
  const command = COMMANDS[name]()
  let values
  try {
    ;({ values } = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } } }))
  } catch (err) {
    return print(io.stderr, `asherah-warmup ${name}: ${CODES.INVALID_OPTION}: ${err.message}\nRun \`asherah-warmup ${name} --help\` for the options.\n`, 2)
  }
  return values.help ? print(io.stdout, commandUsage(name, command), 0) : command.run(values, io)
}

module.exports = { main }
