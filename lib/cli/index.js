'use strict'
// `asherah-warmup <command> [args]`: finds the command module and runs it.
// Every command is a module in this folder exporting `summary` (one line for the usage text)
// and `run(argv, io) -> Promise<exitCode>`, io = { stdout, stderr, env, cwd? }.
// Adding a command is one line in COMMANDS.

const COMMANDS = {
  download: () => require('./download'),
  doctor: () => require('./doctor'),
}

const EXIT = Object.freeze({ OK: 0, FAILURE: 1, USAGE: 2 })

function usage() {
  const names = Object.keys(COMMANDS)
  const width = Math.max(...names.map((n) => n.length))
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]().summary || ''}`.trimEnd())
  return [
    'Usage: asherah-warmup <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `asherah-warmup <command> --help` for the options of a command.',
    '',
  ].join('\n')
}

async function main(argv, io) {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage())
    return EXIT.OK
  }
  if (name === undefined) {
    io.stderr.write(usage())
    return EXIT.USAGE
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : null
  if (!load) {
    io.stderr.write(`asherah-warmup: unknown command ${JSON.stringify(name)}\n\n${usage()}`)
    return EXIT.USAGE
  }
  return load().run(rest, io)
}

module.exports = { main, usage, COMMANDS, EXIT }
