'use strict'
// asherah-node's entry point with asherah-warmup: the "after" of this example. The bun:ffi block
// of before.js is this one require. Under Bun, requireAsherah() starts the Go runtime (the
// go-warmup library from asherah-warmup's platform package, or lib/ if asherah-node downloaded
// one there), verifies and loads it once per process, loads the addon, and then repairs what the
// addon's own Go runtime did to Bun's signal handlers. Under Node it is a plain require of the
// addon and loads nothing else. The path is resolved from this file, like require's own.
module.exports = require('asherah-warmup').requireAsherah('./build/asherah.node')
