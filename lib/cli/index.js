'use strict'
// `asherah-warmup <command> [options]`. Each command is a module in this folder exporting
// `summary` (one line), `about` and `notes` (its usage text around the options), `options` (a
// util.parseArgs table whose `arg` and `help` also write the usage) and `run(values, io)` -> exit
// code, io = { stdout, stderr, env, cwd }. Arguments are parsed here, strictly, for all.

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
  const rows = Object.entries(options).map(
    ([option, { arg, help, default: value }]) =>
      `  ${`--${option}${arg ? ` ${arg}` : ''}`.padEnd(20)} ${help}${value === undefined ? '' : ` (default ${value})`}`,
  )
  return `Usage: asherah-warmup ${name} [options]\n\n${about}\n\n${rows.join('\n')}\n\n${notes}\n`
}

/** Resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main(argv, io) {
  const [name, ...args] = argv
  if (['--help', '-h', 'help'].includes(name)) {
    io.stdout.write(usage())
    return 0
  }
  if (!Object.hasOwn(COMMANDS, name ?? '')) {
    io.stderr.write(`${name === undefined ? '' : `asherah-warmup: unknown command ${JSON.stringify(name)}\n\n`}${usage()}`)
    return 2
  }
  const command = COMMANDS[name]()
  let values
  try {
    ;({ values } = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } } }))
  } catch (err) {
    io.stderr.write(`asherah-warmup ${name}: ${CODES.INVALID_OPTION}: ${err.message}\nRun \`asherah-warmup ${name} --help\` for the options.\n`)
    return 2
  }
  if (!values.help) return command.run(values, io)
  io.stdout.write(commandUsage(name, command))
  return 0
}

module.exports = { main }
