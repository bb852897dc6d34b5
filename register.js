'use strict'
// Preload entry: `bun --preload asherah-warmup/register`, bunfig.toml `preload` (and `[test]
// preload` for `bun test`, which ignores the top-level one), or `node -r asherah-warmup/register`.
// Warms up under Bun, then repairs Bun's signal handlers after every later native module load,
// so a plain `require('asherah')` anywhere in the app is covered. Preloads do not run inside
// Workers: load asherah on the main thread first, or require this file in the worker.

const warmup = require('./index.js')
const { installDlopenHook } = require('./lib/dlopen-hook')

if (warmup._signalRepairer()) installDlopenHook(warmup._repairAfterGoLoad)
