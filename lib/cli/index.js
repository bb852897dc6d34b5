'use strict'
// `asherah-warmup <command> [options]`. A command is { summary, about, options, notes, run }: its
// options are a util.parseArgs table whose `arg` and `help` also write its usage, and run(values,
// io) resolves to the exit code (io = { stdout, stderr, env, cwd }). Arguments are parsed here, strictly.

const { parseArgs } = require('node:util')
const { CODES } = require('../codes')

const COMMANDS = { doctor: () => require('./doctor') }

/** A usage text: its first line, then `blocks` a blank line apart; `rows` ([left, right]) make a block of two columns. */
const usage = (name, blocks) => `${[`Usage: asherah-warmup ${name} [options]`, ...blocks].join('\n\n')}\n`
const columns = (rows, width) => rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n')
const summaries = () => Object.entries(COMMANDS).map(([name, load]) => [name, load().summary])
const overview = () => usage('<command>', [`Commands:\n${columns(summaries(), 8)}`, 'Run `asherah-warmup <command> --help` for the options of a command.'])

function commandUsage(name, { about, options, notes }) {
  const rows = Object.entries(options).map(([option, { arg, help, default: value }]) => [
    arg ? `--${option} ${arg}` : `--${option}`,
    value === undefined ? help : `${help} (default ${value})`,
  ])
  return usage(name, [about, columns(rows, 19), notes])
}

function print(stream, text, code) {
  stream.write(text)
  return code
}

/** Resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main([name, ...args], io) {
  if (['--help', '-h', 'help'].includes(name)) return print(io.stdout, overview(), 0)
  if (!Object.hasOwn(COMMANDS, name)) {
    return print(io.stderr, `${name === undefined ? '' : `asherah-warmup: unknown command ${JSON.stringify(name)}\n\n`}${overview()}`, 2)
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
