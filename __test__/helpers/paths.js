'use strict'
// Where the test suite finds what scripts/setup.sh installed and what the build scripts produced.
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const tools = path.join(root, '.tools', 'bin')

module.exports = {
  root,
  tools,
  go: path.join(tools, 'go'),
  /** Debian 11's glibc, unpacked (OLD_GLIBC_DEB in scripts/versions.env). */
  oldGlibc: path.join(root, '.tools', 'old-glibc'),
  /** Debian 13's musl, unpacked (MUSL_DEB in scripts/versions.env): the folder of its libc.so, which is also its loader. */
  musl: path.join(root, '.tools', 'musl', 'usr', 'lib', 'x86_64-linux-musl'),
  /** Alpine's libstdc++.so.6 and libgcc_s, which the musl Bun needs (MUSL_LIBSTDCXX_WHEEL in scripts/versions.env). */
  muslLibstdcxx: path.join(root, '.tools', 'musl-libstdcxx'),
  /** The pinned Bun binary for a version from scripts/versions.env, or the latest one. */
  bun: (version) => path.join(tools, version ? `bun-${version}` : 'bun'),
  /** npm's musl build of Bun (@oven/bun-linux-x64-musl) at a version from scripts/versions.env. */
  bunMusl: (version) => path.join(tools, `bun-musl-${version}`),
  node: process.env.ASHERAH_WARMUP_TEST_NODE || 'node',
  /** Release go-warmup libraries and their sums files (scripts/build-go.sh). */
  goDist: path.join(root, 'dist', 'go-warmup'),
  /** Test-only builds (scripts/build-fixtures.sh). */
  fixtures: path.join(root, 'build', 'fixtures'),
}
