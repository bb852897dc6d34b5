'use strict'
// For `bun build --compile`: literal paths, so that Bun embeds this platform's addon, go-warmup
// library and sums file in the executable (asherah-warmup's lib/addon.js requires this file there).
// Written by scripts/sync-versions.js.
exports.addon = () => require('./asherah-warmup.darwin-arm64.node')
exports.library = () => require('./go-warmup-darwin-arm64.dylib')
exports.sums = () => require('./SHA256SUMS-darwin')
