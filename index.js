'use strict'
// asherah-warmup: starts a Go runtime (the go-warmup library) before asherah-node's
// asherah.node loads under Bun, and repairs what Go does to Bun's signal handlers.
// The API is lib/api.js; requiring the package also does what lib/on-require.js says (under Bun:
// the warmup, and the signal repair after every later native load). Elsewhere it loads nothing.
module.exports = require('./lib/api.js')
require('./lib/on-require.js').onRequire()
