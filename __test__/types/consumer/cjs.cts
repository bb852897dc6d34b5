// A CommonJS consumer (node16: a .cts file is CJS): `import x = require()` and a side-effect
// import, compiled to require() calls. No @types/node.
import warmupPackage = require('asherah-warmup')

import 'asherah-warmup/register'

const status: Readonly<warmupPackage.WarmupStatus> = warmupPackage.warmup()
const runtime: 'bun' | 'node' | 'deno' | 'unknown' = warmupPackage.detectRuntime().name
const name: string | null = warmupPackage.libraryName('darwin', 'arm64')
const code: warmupPackage.ErrorCode = warmupPackage.codes.LOAD_FAILED

export = { status, runtime, name, code }
