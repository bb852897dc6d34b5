'use strict'
// For `bun build --compile`: literal paths, so that Bun embeds this platform's addon, go-warmup
// library and sums file in the executable (asherah-warmup's lib/addon.js requires this file there).
// Written by scripts/sync-versions.js.
exports.addon = () => require('./asherah-warmup.linux-arm64-gnu.node')
exports.library = () => require('./go-warmup-linux-arm64.so')
exports.sums = () => require('./SHA256SUMS')
