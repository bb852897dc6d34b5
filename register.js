'use strict'
// Preload entry: `bun --preload asherah-warmup/register`, bunfig.toml `preload` (and `[test]
// preload` for `bun test`, which ignores the top-level one), or `node -r asherah-warmup/register`.
// The same as requiring the package (index.js): under Bun, the signal repair from now on (now,
// and after every later native module load, and in every Worker created after it: lib/worker-preload.js), then the warmup.
require('./index.js')
