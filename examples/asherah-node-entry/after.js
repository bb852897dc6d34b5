'use strict'
// asherah-node's entry point with asherah-warmup: the "after" of this example. The bun:ffi block
// of before.js is its first line. Under Bun, requiring asherah-warmup starts the Go runtime (the
// go-warmup library from asherah-warmup's platform package, or lib/ if asherah-node downloaded
// one there), verified and loaded once per process, and repairs Bun's signal handlers after every
// later native module load: so after asherah.node's own Go runtime starts. Under Node it loads
// nothing native. Two plain requires, which Bun's bundler follows: an app built with `bun build`
// embeds both the addon and asherah-warmup's files.
require('asherah-warmup')
module.exports = require('./build/asherah.node')
