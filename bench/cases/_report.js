'use strict'
// The epilogue every case runs after its timed part, so all cases pay the same fixed cost:
// which native files of ours are mapped, and one JSON line on stdout.
const fs = require('node:fs')

module.exports = function report(start, op, extra = {}) {
  let mapped = null
  try {
    mapped = [
      ...new Set(
        fs
          .readFileSync('/proc/self/maps', 'utf8')
          .split('\n')
          .map((line) => line.split(/\s+/).slice(5).join(' '))
          .filter((file) => /\.node$/.test(file) || /go-warmup-[^/]*\.(so|dylib)$/.test(file)),
      ),
    ]
  } catch {}
  process.stdout.write(`${JSON.stringify({ start, op, mapped, ...extra })}\n`)
}
