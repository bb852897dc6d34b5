'use strict'
// Preload entry: `bun --preload asherah-warmup/register`, bunfig.toml `preload` (and `[test]
// preload` for `bun test`, which ignores the top-level one), or `node -r asherah-warmup/register`.
// The same as requiring the package (index.js): under Bun, the warmup, then the signal repair
// after every later native module load. Preloads do not run inside Workers: load asherah on the
// main thread first, or require this file in the worker.
require('./index.js')
