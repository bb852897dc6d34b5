'use strict'
// The addon's SHA-256 check, timed inside one process through the public API: warmup() with a
// wrong pinned digest fails right after hashing the library, and a failure before Warmup() is not
// cached, so it can be repeated; warmup() with a missing file fails after one stat (the baseline).
// Run with ASHERAH_WARMUP=never so the require itself does not warm up.
const warmup = require('asherah-warmup')
const lib = process.env.BENCH_LIB
const N = Number(process.env.BENCH_HASH_N || 200)

function loop(options, code) {
  const times = []
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint()
    try {
      warmup.warmup(options)
      throw new Error('expected a failure')
    } catch (err) {
      if (err.code !== code) throw err
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { median: times[N >> 1], min: times[0] }
}

const hashed = loop({ force: true, library: lib, sha256: '0'.repeat(64) }, 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH')
const base = loop({ force: true, library: `${lib}.missing` }, 'ERR_ASHERAH_WARMUP_NOT_FOUND')
process.stdout.write(`${JSON.stringify({ hashMs: hashed.median - base.median, hashMinMs: hashed.min - base.min, hashed, base })}\n`)
