'use strict'
// The platforms shipped: upstream's go-warmup library per platform and the package that carries it. The one source:
// scripts/sync-versions.js writes the platform packages, src/platform.rs, the scripts' table and index.js's copies.

const GO_WARMUP_FILES = {
  'linux-x64': 'go-warmup-linux-x64.so',
  'linux-arm64': 'go-warmup-linux-arm64.so',
  'darwin-x64': 'go-warmup-darwin-x64.dylib',
  'darwin-arm64': 'go-warmup-darwin-arm64.dylib',
}

/** `go-warmup-linux-x64.so` etc., or null where upstream ships no warmup library. */
const libraryName = (platform = process.platform, arch = process.arch) => GO_WARMUP_FILES[`${platform}-${arch}`] || null

/** The napi-rs triple a platform package is named after (`asherah-warmup-<triple>`), shipped or not. */
const tripleOf = (platform = process.platform, arch = process.arch) => (platform === 'linux' ? `linux-${arch}-gnu` : `${platform}-${arch}`)

/** The addon where a flat or pnpm install puts it: in the platform package beside the package folder `root`. */
const addonBeside = (root, triple = tripleOf()) => `${root}/../asherah-warmup-${triple}/asherah-warmup.${triple}.node`

/** Where a Go runtime's start hangs Bun before 1.4 (macOS's JavaScriptCore suspends threads without a signal). */
const repairsSignals = () => process.platform === 'linux'

/** The triple of the platform package that carries our addon and the Go library, or null where none is published. */
const packageTriple = (platform = process.platform, arch = process.arch) => (libraryName(platform, arch) ? tripleOf(platform, arch) : null)

module.exports = { GO_WARMUP_FILES, libraryName, tripleOf, addonBeside, repairsSignals, packageTriple }
