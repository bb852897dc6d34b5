'use strict'
// `asherah-warmup <command> [options]`. Each command is a module in this folder exporting
// `summary` (one line), `usage`, `options` (a util.parseArgs table) and `run(values, io)` ->
// exit code, io = { stdout, stderr, env, cwd }. Arguments are parsed here, strictly, for all.

const { parseArgs } = require('node:util')
const { CODES } = require('../errors')

const COMMANDS = { download: () => require('./download'), doctor: () => require('./doctor') }

const usage = () => `Usage: asherah-warmup <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, load]) => `  ${name.padEnd(8)}  ${load().summary}`)
  .join('\n')}

Run \`asherah-warmup <command> --help\` for the options of a command.
`

/** Resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main(argv, io) {
  const [name, ...rest] = argv
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
    ;({ values } = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true }))
  } catch (err) {
    io.stderr.write(`asherah-warmup ${name}: ${CODES.INVALID_OPTION}: ${err.message}\nRun \`asherah-warmup ${name} --help\` for the options.\n`)
    return 2
  }
  if (values.help) {
    io.stdout.write(command.usage)
    return 0
  }
  return command.run(values, io)
}

module.exports = { main }
