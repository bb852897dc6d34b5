'use strict'
// `asherah-warmup doctor [options]`, the one command. Its options are doctor.js's util.parseArgs
// table, whose `arg` and `help` also write the usage; arguments are parsed here, strictly.

const { parseArgs } = require('node:util')
const { CODES } = require('../codes')

/** The usage: doctor's `about`, a row per option, its `notes`. */
function usage({ about, options, notes }) {
  const rows = Object.entries(options).map(([option, { arg, help, default: value }]) => {
    const left = arg ? `--${option} ${arg}` : `--${option}`
    return `  ${left.padEnd(19)}  ${value === undefined ? help : `${help} (default ${value})`}`
  })
  return `Usage: asherah-warmup doctor [options]\n\n${about}\n\n${rows.join('\n')}\n  --help               print this text\n\n${notes}\n`
}

/** Resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main([name, ...args], io) {
  const doctor = require('./doctor')
  const help = ['--help', '-h', 'help'].includes(name)
  if (name !== 'doctor') {
    const unknown = help || name === undefined ? '' : `asherah-warmup: unknown command ${JSON.stringify(name)}\n\n`
    ;(help ? io.stdout : io.stderr).write(`${unknown}${usage(doctor)}`)
    return help ? 0 : 2
  }
  let values
  try {
    ;({ values } = parseArgs({ args, options: { ...doctor.options, help: { type: 'boolean', short: 'h' } } }))
  } catch (err) {
    io.stderr.write(`asherah-warmup doctor: ${CODES.INVALID_OPTION}: ${err.message}\nRun \`asherah-warmup doctor --help\` for the options.\n`)
    return 2
  }
  if (!values.help) return doctor.run(values, io)
  io.stdout.write(usage(doctor))
  return 0
}

module.exports = { main }
