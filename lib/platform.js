'use strict'
// Platform names: the go-warmup release file for a platform, and the napi-rs triple of our
// platform package. Pure functions of (platform, arch, libc); nothing here touches the disk.

const GO_WARMUP_FILES = {
  'linux-x64': 'go-warmup-linux-x64.so',
  'linux-arm64': 'go-warmup-linux-arm64.so',
  'darwin-x64': 'go-warmup-darwin-x64.dylib',
  'darwin-arm64': 'go-warmup-darwin-arm64.dylib',
}

/** The upstream sums file that lists a platform's library. */
const sumsFileName = (platform) => (platform === 'darwin' ? 'SHA256SUMS-darwin' : 'SHA256SUMS')

/** `go-warmup-linux-x64.so` etc., or null where upstream ships no warmup library. */
function libraryName(platform = process.platform, arch = process.arch) {
  return GO_WARMUP_FILES[`${platform}-${arch}`] || null
}

/**
 * Whether this process runs on musl, where Go c-shared libraries cannot be dlopened and so no
 * package is published. Only asked after the addon failed to load: the report is slow to build.
 */
function isMusl() {
  if (process.platform !== 'linux') return false
  const header = process.report?.getReport?.()?.header
  return Boolean(header && !header.glibcVersionRuntime)
}

/** The napi-rs triple of the platform package that carries our addon and the Go library. */
function packageTriple(platform = process.platform, arch = process.arch) {
  if (!libraryName(platform, arch)) return null
  return platform === 'linux' ? `linux-${arch}-gnu` : `${platform}-${arch}`
}

module.exports = { GO_WARMUP_FILES, sumsFileName, libraryName, isMusl, packageTriple }
