#!/usr/bin/env node
'use strict'
// Startup benchmark (issues 5, 10 and 20): many fresh processes per case, interleaved, side by side in one run.
//
//   node bench/startup.js [--runs N] [--warmup-rounds N] [--loop N] [--seed N] [--no-chart] [--out DIR]
//
// Bun:  (a) empty script, (b) bun:ffi dlopen + Warmup() (asherah-node's way), (c) the floor: a
//       minimal C N-API addon doing dlopen(RTLD_NOW|RTLD_LOCAL) + Warmup(), (d) require('asherah-warmup')
//       on the default path (library beside the addon, not hashed), (e) (d) with ASHERAH_WARMUP_SHA256
//       pinned (the library is hashed before it is loaded). References: (cn) the floor's work from a
//       one-function napi-rs addon, (cn1) that addon behind a one-line package (issue 20's baseline
//       for (d)), (c1) the C floor behind one, (d0) our addon behind one, (dP) (d0) carrying index.js's
//       code in a function never called, (ds) (d) + a first status(),
//       (di), (cn1i): (d) and (cn1) as an ESM import, and (dk), (cn1k): (d) and (cn1) without Bun's
//       runtime transpiler cache. Bun keeps the transpiled text of a source file of 4 KB or more in a
//       cache directory (index.js is one, a one-line entry is not); the other cases use a cache of
//       this run's own, bench/build/transpiler-cache. A/B per piece: (d) with one piece of index.js
//       taken out (PIECES), each its own case, next to a control copy.
// Node: empty vs require('asherah-warmup'), which must map no native file, against one-line packages.
// Hashing: the addon's SHA-256 check timed in one Bun process (bench/cases/hashloop.js: a wrong
//       pinned digest fails right after hashing, repeatable), next to OpenSSL on the same file:
//       `openssl dgst -sha256` over the library named 10 times minus the same over an empty file
//       named 10 times, divided by 10 (per-file hashing with the read, process start cancelled
//       out; interleaved with the other cases), and `openssl speed -evp sha256 -bytes <size>`
//       (in-memory, no read).
// Every case runs from bench/build/project/, laid out as `npm install asherah-warmup` leaves it
// (node_modules/asherah-warmup from package.json "files", node_modules/asherah-warmup-<triple> with
// the addon, the library and SHA256SUMS), so require('asherah-warmup') resolves as in an app.
// Each process runs under bench/build/measure (fork/exec/wait4: monotonic wall time, the child's
// own peak RSS); each case script also reports the time around its operation (performance.now()).
// Then: repeat warmup() calls in a loop (ns per call), the file sizes, and issue 20's targets.
// Writes bench/results.md, bench/results.json and bench/startup.png (bench/chart.py).

const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { scriptArgs } = require('../scripts/lib/args')

const ROOT = path.join(__dirname, '..')
const BUILD = path.join(__dirname, 'build')
const CASES_DIR = path.join(__dirname, 'cases')
const MiB = 1024 * 1024
const DGST_REPEAT = 10
/**
 * Issue 20's targets, written once: the table below, and chart.py's dashed lines through results.json.
 * Bun: (d) over (cn1) in process; Node: (nd) over (nx) in process; the .node no larger than the last
 * release's; lib/ under 700 lines; src/ without its tests no larger than at bfad51b, when issue 20 was
 * filed (2,292 lines, counted by bench/lines.js there).
 */
const BUDGETS = { bunVsNapiPackage: 1.25, nodeVsPackage: 1.1, addonBytes: 473696, libLines: 699, srcLines: 2292 }

/**
 * The pieces of (d), each taken out of a copy of the installed package's index.js by text edits
 * ([text, replacement]; a piece made of several lines ends early with a `return`), to time (d)
 * without it (issue 20: where a floor stands in the way, show it piece by piece). An edit that no
 * longer matches index.js exactly once stops the run: the pieces follow the entry, or the bench fails.
 */
const PIECES = [
  { id: 'dE', piece: 'the settings check (the first process.env access, six reads)', replace: [['const env = process.env', 'const env = {}']] },
  {
    id: 'dR',
    piece: "the repair at the require (the addon's repairSignals(), before the warmup)",
    replace: [["  native.repairSignals(process.listenerCount('SIGPIPE') > 0)\n", '']],
  },
  {
    id: 'dW',
    piece: "the Worker preload (reading Bun's lazy global Worker, the subclass)",
    replace: [['  const Base = globalThis.Worker\n', '  return\n  const Base = globalThis.Worker\n']],
  },
  {
    id: 'dH',
    piece: 'all of the repair from now on: the repair, the process.dlopen hook, the Worker preload',
    replace: [['  if (repair) repairFromNowOn(', '  if (false) repairFromNowOn(']],
  },
  {
    id: 'dA',
    piece: "the API's names (stand-ins that load the API on first call)",
    replace: [
      ["for (const name of API_NAMES) standIns[name] = name === 'codes' ? CODES : (...args) => loadApi()[name](...args)\n", ''],
      ['Object.assign(module.exports, standIns)\n', ''],
    ],
  },
]
/** A variant with every piece above but the parts of dH out: what index.js costs besides them. */
const BARE = { id: 'dB', piece: 'all of the above', of: ['dE', 'dH', 'dA'] }
/** The same copy with nothing taken out, timed like the variants: what each is compared with. */
const CONTROL = { id: 'dC', piece: 'nothing (the control: (d) as a copy, timed like the variants)' }
const VARIANTS = [CONTROL, ...PIECES, BARE]

// ---- arguments ----------------------------------------------------------------------------------

const FLAGS = {
  runs: { type: 'string', default: '200', min: 5 },
  'warmup-rounds': { type: 'string', default: '3', min: 0 },
  loop: { type: 'string', default: '1000000', min: 1000 },
  seed: { type: 'string', default: '1', min: 0 },
  'no-chart': { type: 'boolean' },
  out: { type: 'string', default: __dirname },
}

function parseOptions(argv) {
  const v = scriptArgs({ name: 'bench', file: __filename, options: FLAGS }, argv).values
  return { runs: v.runs, warmupRounds: v['warmup-rounds'], loop: v.loop, chart: !v['no-chart'], out: path.resolve(v.out), seed: v.seed }
}

// ---- statistics ---------------------------------------------------------------------------------

function quantile(values, q) {
  const s = [...values].sort((x, y) => x - y)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}
const median = (v) => quantile(v, 0.5)

/** A small seeded PRNG (mulberry32), so a run's order can be repeated with --seed. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffle(items, random) {
  const a = [...items]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

/** 95% bootstrap interval of f(x samples, y samples) (e.g. a difference of medians). */
function bootstrap(xs, ys, f, random, n = 2000) {
  const pick = (v) => Array.from(v, () => v[Math.floor(random() * v.length)])
  const out = []
  for (let i = 0; i < n; i++) out.push(f(pick(xs), pick(ys)))
  return [quantile(out, 0.025), quantile(out, 0.975)]
}

// ---- tools --------------------------------------------------------------------------------------

function tool(name) {
  const p = path.join(ROOT, '.tools', 'bin', name)
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run setup\` first`)
  return fs.realpathSync(p)
}

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0]
  } catch {
    return 'unknown'
  }
}

/** Runs one process under bench/build/measure; returns wall ms, peak RSS MiB and the case's JSON line. */
function measure(c, env) {
  const res = spawnSync(path.join(BUILD, 'measure'), c.cmd, {
    cwd: c.cwd,
    env: { ...env, ...c.env },
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
    timeout: 60000,
  })
  const lines = (res.stdout || '').trim().split('\n')
  const m = lines.filter((l) => l.startsWith('@@measure ')).pop()
  if (!m) throw new Error(`${c.id}: no measurement (status ${res.status}): ${res.stderr}`)
  const meta = JSON.parse(m.slice('@@measure '.length))
  if (meta.status !== 0) throw new Error(`${c.id}: exited ${meta.status}\n${res.stdout}\n${res.stderr}`)
  let inner = null
  for (const line of lines) {
    if (line.startsWith('{')) {
      try {
        inner = JSON.parse(line)
      } catch {}
    }
  }
  return { wall: meta.wall_us / 1000, rss: meta.maxrss_kb / 1024, inner }
}

// ---- the installed layout ------------------------------------------------------------------------

function copy(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  fs.cpSync(src, dest, { recursive: true })
}

/** bench/build/project: the case scripts beside node_modules/ as an install leaves it. Returns its paths. */
function makeProject(triple) {
  const project = path.join(BUILD, 'project')
  fs.rmSync(project, { recursive: true, force: true })
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  const main = path.join(project, 'node_modules', 'asherah-warmup')
  copy(path.join(ROOT, 'package.json'), path.join(main, 'package.json'))
  for (const entry of pkg.files) {
    const src = path.join(ROOT, entry)
    if (fs.existsSync(src)) copy(src, path.join(main, entry))
  }
  const platformSrc = path.join(ROOT, 'npm', triple)
  const platform = path.join(project, 'node_modules', `asherah-warmup-${triple}`)
  const platformPkg = JSON.parse(fs.readFileSync(path.join(platformSrc, 'package.json'), 'utf8'))
  for (const entry of ['package.json', ...platformPkg.files]) copy(path.join(platformSrc, entry), path.join(platform, entry))
  fs.writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'bench-app', private: true, dependencies: { 'asherah-warmup': pkg.version } }, null, 2)}\n`,
  )
  for (const f of fs.readdirSync(CASES_DIR)) copy(path.join(CASES_DIR, f), path.join(project, f))

  // Reference packages (one-line entries), to split (d)'s cost into its parts.
  const ref = (name, index, extra = {}) => {
    const dir = path.join(project, 'node_modules', name)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...extra }, null, 2)}\n`)
    fs.writeFileSync(path.join(dir, 'index.js'), `'use strict'\n${index}\n`)
  }
  const libFile = JSON.stringify(path.join(platform, require('../lib/platforms').libraryName()))
  const floorPackage = (name, addon) => ref(name, `module.exports = require(${JSON.stringify(path.join(BUILD, addon))}).warmup(${libFile})`)
  floorPackage('ref-floor-package', 'floor.node')
  floorPackage('ref-napi-floor-package', 'napi-floor.node')
  // Our addon's raw call with index.js's default request (no JS layer, no bundler's files).
  const addonCall = `module.exports = require(${JSON.stringify(path.join(platform, platformPkg.main))}).warmup({ repairSignals: process.platform === 'linux' && typeof Bun !== 'undefined' })`
  ref('ref-addon-package', addonCall)
  const entry = fs.readFileSync(path.join(main, 'index.js'), 'utf8')
  // The same, carrying index.js's code in a function never called: what the entry's size costs before any of it runs.
  ref('ref-addon-parse-package', `${addonCall}\nfunction neverCalled() {\n${entry}\n}`)
  for (const v of VARIANTS) {
    const dir = path.join(project, 'node_modules', `piece-${v.id}`)
    copy(main, dir)
    fs.writeFileSync(path.join(dir, 'index.js'), entryWithout(v, entry))
  }
  ref('ref-empty-package', 'module.exports = {}')
  ref('ref-empty-package-exports', 'module.exports = {}', {
    exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json' },
  })
  return { project, platform, addon: path.join(platform, platformPkg.main) }
}

/** index.js's text `entry` without variant `v`'s pieces; each edit must match exactly once. */
function entryWithout(v, entry) {
  const edits = v.of ? v.of.map((id) => PIECES.find((p) => p.id === id)) : [v]
  let text = entry
  for (const { id, replace = [] } of edits) {
    for (const [piece, replacement] of replace) {
      const around = text.split(piece)
      if (around.length !== 2) throw new Error(`bench: piece ${id}: ${JSON.stringify(piece)} is not in index.js exactly once; update PIECES`)
      text = around.join(replacement)
    }
  }
  return text
}

// ---- the run ------------------------------------------------------------------------------------

function main() {
  const o = parseOptions(process.argv.slice(2))
  execFileSync('bash', [path.join(__dirname, 'build.sh')], { stdio: 'inherit' })

  const { packageTriple, libraryName } = require('../lib/platforms')
  const triple = packageTriple()
  const { project, platform, addon } = makeProject(triple)
  const lib = path.join(platform, libraryName())
  const digest = require('node:crypto').createHash('sha256').update(fs.readFileSync(lib)).digest('hex')
  const bun = tool('bun')
  const node = process.execPath
  // No setting index.js reads (ASHERAH_*): any of them sends a require down lib/api.js's path.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ASHERAH_')))
  // Bun's default, a transpiler cache, in a directory of this run: filled by the discarded rounds.
  const transpilerCache = path.join(BUILD, 'transpiler-cache')
  fs.rmSync(transpilerCache, { recursive: true, force: true })
  Object.assign(env, { BENCH_LIB: lib, BENCH_FLOOR: path.join(BUILD, 'floor.node'), BUN_RUNTIME_TRANSPILER_CACHE_PATH: transpilerCache })
  const noCache = { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' }
  const script = (name) => path.join(project, `${name}.js`)

  /** A reference case under Bun: bun with `args`, `extra` added to its environment. */
  const bunRef = (id, label, args, extra) => ({ id, group: 'bun', ref: true, label, cmd: [bun, ...args], env: extra })
  const cases = [
    { id: 'a', group: 'bun', label: 'Bun (a) empty script', cmd: [bun, script('empty')] },
    { id: 'b', group: 'bun', label: "Bun (b) bun:ffi dlopen + Warmup() (asherah-node's way)", cmd: [bun, script('ffi')] },
    { id: 'c', group: 'bun', label: 'Bun (c) C N-API addon: dlopen + Warmup() (floor)', cmd: [bun, script('floor')] },
    { id: 'd', group: 'bun', label: "Bun (d) require('asherah-warmup'), default path", cmd: [bun, script('require')], env: { BENCH_ADDON: addon } },
    {
      id: 'e',
      group: 'bun',
      label: 'Bun (e) (d) with ASHERAH_WARMUP_SHA256 pinned',
      cmd: [bun, script('require')],
      env: { ASHERAH_WARMUP_SHA256: digest, BENCH_ADDON: addon },
    },
    bunRef('c1', 'Bun ref: (c) as a package (one-line index.js → C addon)', [script('pkg'), 'ref-floor-package']),
    bunRef('cn', "Bun ref: (c)'s work from a one-function napi-rs addon (the napi-rs floor)", [script('floor')], {
      BENCH_FLOOR: path.join(BUILD, 'napi-floor.node'),
    }),
    bunRef('cn1', "Bun ref: (cn) as a package (one-line index.js → napi-rs floor), issue 20's baseline for (d)", [script('pkg'), 'ref-napi-floor-package']),
    bunRef('d0', "Bun ref: one-line index.js → asherah-warmup's Rust addon, no JS layer", [script('pkg'), 'ref-addon-package']),
    bunRef('dP', "Bun ref: (d0) with index.js's code in a function never called (the entry parsed, none of it run)", [
      script('pkg'),
      'ref-addon-parse-package',
    ]),
    bunRef('ds', 'Bun ref: (d) + a first status() (loads lib/api.js), timed together', [script('require'), 'status']),
    bunRef('di', "Bun ref: (d) as an ESM import, `import('asherah-warmup')`", [script('import')]),
    bunRef('cn1i', "Bun ref: (cn1) as an ESM import, (di)'s baseline", [script('import'), 'ref-napi-floor-package']),
    bunRef('dk', "Bun ref: (d) without Bun's transpiler cache (a first start on a fresh machine)", [script('require')], { ...noCache, BENCH_ADDON: addon }),
    bunRef('cn1k', "Bun ref: (cn1) without Bun's transpiler cache", [script('pkg'), 'ref-napi-floor-package'], noCache),
    ...VARIANTS.map((v) => ({ ...bunRef(v.id, `Bun A/B: (d) without ${v.piece}`, [script('pkg'), `piece-${v.id}`]), piece: true })),
    { id: 'ne', group: 'node', label: 'Node empty script', cmd: [node, script('empty')] },
    { id: 'nd', group: 'node', label: "Node require('asherah-warmup')", cmd: [node, script('require')] },
    { id: 'n0', group: 'node', ref: true, label: 'Node ref: one-line package, no exports map', cmd: [node, script('pkg'), 'ref-empty-package'] },
    { id: 'nx', group: 'node', ref: true, label: 'Node ref: one-line package with an exports map', cmd: [node, script('pkg'), 'ref-empty-package-exports'] },
    {
      id: 'of',
      group: 'openssl',
      label: `openssl dgst -sha256 (${libraryName()} × ${DGST_REPEAT})`,
      cmd: ['openssl', 'dgst', '-sha256', ...Array(DGST_REPEAT).fill(lib)],
    },
    {
      id: 'o0',
      group: 'openssl',
      label: `openssl dgst -sha256 (empty file × ${DGST_REPEAT})`,
      cmd: ['openssl', 'dgst', '-sha256', ...Array(DGST_REPEAT).fill(path.join(BUILD, 'empty.bin'))],
    },
  ]
  const byId = Object.fromEntries(cases.map((c) => [c.id, c]))
  /** Every Bun case that starts a Go runtime: all but the empty script. */
  const goStarts = cases.filter((c) => c.group === 'bun' && c.id !== 'a').map((c) => c.id)
  for (const c of cases) {
    c.samples = []
    c.cwd = project
  }

  const random = rng(o.seed)
  const rounds = o.warmupRounds + o.runs
  const started = Date.now()
  process.stderr.write(`bench: ${cases.length} cases x ${o.runs} runs (+${o.warmupRounds} discarded rounds), interleaved in shuffled order\n`)
  for (let r = 0; r < rounds; r++) {
    for (const c of shuffle(cases, random)) {
      const s = measure(c, env)
      if (r >= o.warmupRounds) c.samples.push(s)
    }
    if ((r + 1) % 10 === 0) process.stderr.write(`  round ${r + 1}/${rounds} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`)
  }

  // Invariants: every case did what it says.
  const violations = []
  const check = (ok, text) => {
    if (!ok) violations.push(text)
  }
  for (const id of ['d', 'ds', 'dk'])
    for (const s of byId[id].samples)
      check(
        s.inner?.warmed && s.inner.verification === 'package-manager' && s.inner.source === 'package' && s.inner.library === lib,
        `(${id}) not a default-path warmup from the installed platform package: ${JSON.stringify(s.inner)}`,
      )
  for (const s of byId.e.samples) check(s.inner?.warmed && s.inner.verification === 'pinned', `(e) not verified: ${JSON.stringify(s.inner)}`)
  for (const s of byId.nd.samples)
    check(Array.isArray(s.inner?.mapped) && s.inner.mapped.length === 0, `Node require mapped a native file: ${JSON.stringify(s.inner?.mapped)}`)
  // (e) maps its verified copy, a memfd named after the library (checked above by its status).
  for (const id of goStarts.filter((id) => id !== 'e'))
    for (const s of byId[id].samples)
      check(
        s.inner?.mapped?.some((f) => f.endsWith(libraryName())),
        `(${id}) did not map the library`,
      )

  const stat = (id, key) => {
    const v = byId[id].samples.map((s) => (key === 'wall' ? s.wall : key === 'rss' ? s.rss : key === 'op' ? s.inner.op : s.inner.durationMs))
    return { median: median(v), p90: quantile(v, 0.9), p10: quantile(v, 0.1), min: Math.min(...v), values: v }
  }
  const diff = (x, y, key) => {
    const xs = stat(x, key).values
    const ys = stat(y, key).values
    return { value: median(xs) - median(ys), ci: bootstrap(xs, ys, (p, q) => median(p) - median(q), random) }
  }
  const summary = {}
  for (const c of cases) {
    summary[c.id] = { label: c.label, group: c.group, ref: Boolean(c.ref), wall: stat(c.id, 'wall'), rss: stat(c.id, 'rss') }
    if (c.group !== 'openssl') summary[c.id].op = stat(c.id, 'op')
    if (['d', 'e', 'ds'].includes(c.id)) summary[c.id].warmupMs = stat(c.id, 'durationMs')
  }

  // Repeat calls, and openssl speed (in-memory) for the library's size.
  const loop = (runtime, extraEnv = {}) =>
    JSON.parse(
      execFileSync(runtime, [script('loop')], { cwd: project, env: { ...env, BENCH_LOOP_N: String(o.loop), ...extraEnv }, encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop(),
    )
  const loops = { bun: loop(bun), node: loop(node), nodeNotNeeded: loop(node, { BENCH_LOOP_FORCE: '0' }) }
  const hashLoop = JSON.parse(
    execFileSync(bun, [script('hashloop')], { cwd: project, env: { ...env, ASHERAH_WARMUP: 'never', BENCH_HASH_N: '300' }, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop(),
  )
  const size = fs.statSync(lib).size
  const speedOut = execFileSync('openssl', ['speed', '-evp', 'sha256', '-bytes', String(size), '-seconds', '2', '-mr'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const bytesPerSec = Number(/^\+F:\d+:sha256:([\d.]+)/m.exec(speedOut)?.[1])
  const opensslSpeedMs = (size / bytesPerSec) * 1000

  // Added costs over (a), and the budget lines.
  const addedOverBun = (metric) => Object.fromEntries(goStarts.map((id) => [id, diff(id, 'a', metric)]))
  const added = addedOverBun('wall')
  const addedRss = addedOverBun('rss')
  const dgstTotal = diff('of', 'o0', 'wall')
  const opensslDgst = { value: dgstTotal.value / DGST_REPEAT, ci: dgstTotal.ci.map((x) => x / DGST_REPEAT) }
  const hashWall = diff('e', 'd', 'wall')
  const hashInProcess = diff('e', 'd', 'durationMs')
  const nodeWall = diff('nd', 'ne', 'wall')
  const nodeOp = summary.nd.op.median
  const sizes = {
    addon: fs.statSync(addon).size,
    library: size,
    floor: fs.statSync(path.join(BUILD, 'floor.node')).size,
    napiFloor: fs.statSync(path.join(BUILD, 'napi-floor.node')).size,
  }

  // Issue 20's targets, then the other checks (issue 5), each pass or miss as measured.
  const budget = []
  const checks = []
  const line = (list, name, value, limit, pass, note = '') => list.push({ name, value, limit, pass: pass === null ? null : Boolean(pass), note })
  const f2 = (n) => n.toFixed(2)
  const ci = (d) => `[${f2(d.ci[0])}, ${f2(d.ci[1])}]`
  const ratio = (x, y) => (x / y).toFixed(2)
  const op = (id) => summary[id].op.median
  /** In-process median of x over y's, with a 95% bootstrap interval. */
  const opRatio = (x, y) => {
    const [xs, ys] = [stat(x, 'op').values, stat(y, 'op').values]
    return { value: median(xs) / median(ys), ci: bootstrap(xs, ys, (p, q) => median(p) / median(q), random) }
  }
  const bunRatio = opRatio('d', 'cn1')
  const coldRatio = opRatio('dk', 'cn1k')
  const importRatio = opRatio('di', 'cn1i')
  // What each piece costs: the control's in-process median minus the one without it, also over (cn1).
  const pieces = [...PIECES, BARE].map(({ id, piece }) => {
    const saved = diff(CONTROL.id, id, 'op')
    return { id, piece, savedMs: saved.value, ci: saved.ci, savedOfBaseline: saved.value / op('cn1'), ratioWithout: op(id) / op('cn1') }
  })
  const refs = ['c', 'c1', 'cn', 'd0', 'dP', 'ds'].map((id) => `(${id}) ${op(id).toFixed(3)} ms = ${ratio(op(id), op('cn1'))} ×`).join('; ')
  line(
    budget,
    `Bun: require('asherah-warmup') (d) in process ≤ ${BUDGETS.bunVsNapiPackage} × a one-line package around a one-function napi-rs addon (cn1)`,
    `${op('d').toFixed(3)} ms = ${f2(bunRatio.value)} × (cn1) ${op('cn1').toFixed(3)} ms (95% CI of the ratio ${ci(bunRatio)})`,
    `${(BUDGETS.bunVsNapiPackage * op('cn1')).toFixed(3)} ms`,
    bunRatio.value <= BUDGETS.bunVsNapiPackage,
    `references, in process, against (cn1): ${refs}; what is left with every piece of the entry's Bun path taken out (A/B below): (${BARE.id}) ${ratio(op(BARE.id), op('cn1'))} ×; added wall (d) ${f2(added.d.value)} ms = ${ratio(added.d.value, added.cn1.value)} × (cn1) ${f2(added.cn1.value)} ms, ${ratio(added.d.value, added.c.value)} × the C floor (c) ${f2(added.c.value)} ms`,
  )
  line(
    budget,
    "Bun without its transpiler cache (reported: the target is judged on Bun's default): (dk) in process ÷ (cn1k)",
    `${op('dk').toFixed(3)} ms = ${f2(coldRatio.value)} × (cn1k) ${op('cn1k').toFixed(3)} ms (95% CI of the ratio ${ci(coldRatio)})`,
    '–',
    null,
    "BUN_RUNTIME_TRANSPILER_CACHE_PATH=0: Bun transpiles index.js at every start, as on a machine's first start or where the cache directory cannot be written",
  )
  line(
    budget,
    'Bun as an ESM import (reported: the target is judged on the require): (di) in process ÷ (cn1i)',
    `${op('di').toFixed(3)} ms = ${f2(importRatio.value)} × (cn1i) ${op('cn1i').toFixed(3)} ms (95% CI of the ratio ${ci(importRatio)})`,
    '–',
    null,
    "`import('asherah-warmup')` and `import('<(cn1)'s package>')`: Bun builds an ES module namespace from module.exports, reading every name",
  )
  const nx = summary.nx.op.median
  const n0 = summary.n0.op.median
  line(
    budget,
    `Node: require('asherah-warmup') in process ≤ ${BUDGETS.nodeVsPackage} × a one-line package with an exports map`,
    `${f2(nodeOp)} ms = ${ratio(nodeOp, nx)} × ${f2(nx)} ms (95% CI of the ratio ${ci(opRatio('nd', 'nx'))}; wall +${f2(nodeWall.value)} ms, CI ${ci(nodeWall)})`,
    `${f2(BUDGETS.nodeVsPackage * nx)} ms`,
    nodeOp <= BUDGETS.nodeVsPackage * nx,
    `judged in process (Node's wall noise is wider than the difference); without an exports map the one-line package costs ${f2(n0)} ms (${ratio(nodeOp, n0)} ×): the rest is Node building its exports resolver, once per process`,
  )
  line(
    budget,
    `.node ≤ ${BUDGETS.addonBytes.toLocaleString('en-US')} bytes (the last release's)`,
    `${sizes.addon.toLocaleString('en-US')} bytes (${(sizes.addon / 1024).toFixed(1)} KiB)`,
    `${BUDGETS.addonBytes.toLocaleString('en-US')} bytes`,
    sizes.addon <= BUDGETS.addonBytes,
    `the napi-rs floor (cn), one function with the same napi-rs, profile and toolchain: ${sizes.napiFloor.toLocaleString('en-US')} bytes`,
  )
  const lines = require('./lines').productLines()
  line(budget, 'lib/ under 700 lines', `${lines.lib} lines`, `${BUDGETS.libLines} lines`, lines.lib <= BUDGETS.libLines, 'every line of lib/ as it ships')
  line(
    budget,
    'src/ without its tests no larger than at bfad51b',
    `${lines.src.toLocaleString('en-US')} lines`,
    `${BUDGETS.srcLines.toLocaleString('en-US')} lines`,
    lines.src <= BUDGETS.srcLines,
    'bench/lines.js: no *_tests.rs, no test_support.rs, no #[cfg(test)] item',
  )
  line(
    budget,
    'Node: no native file mapped after require',
    `${byId.nd.samples.filter((s) => s.inner.mapped.length === 0).length}/${byId.nd.samples.length} runs mapped none`,
    'all runs',
    byId.nd.samples.every((s) => s.inner.mapped.length === 0),
  )
  line(
    checks,
    'Bun: peak RSS added by (d) (reported; issue 20 sets no limit)',
    `${f2(addedRss.d.value)} MiB (95% CI ${ci(addedRss.d)})`,
    '–',
    null,
    `the C floor (c) ${f2(addedRss.c.value)} MiB, (c1) ${f2(addedRss.c1.value)} MiB, the napi-rs floor (cn) ${f2(addedRss.cn.value)} MiB, (cn1) ${f2(addedRss.cn1.value)} MiB, our addon without the JS layer (d0) ${f2(addedRss.d0.value)} MiB, (d) + status() (ds) ${f2(addedRss.ds.value)} MiB`,
  )
  line(
    checks,
    'Bun: (d) added wall < (b) added wall',
    `${f2(added.d.value)} ms vs (b) ${f2(added.b.value)} ms`,
    `< ${f2(added.b.value)} ms`,
    added.d.value < added.b.value,
    `in-process: (d) ${f2(summary.d.op.median)} ms vs (b) ${f2(summary.b.op.median)} ms`,
  )
  line(
    checks,
    'Bun: checksum extra ≤ 1.1 × OpenSSL SHA-256 of the same file',
    `${f2(hashLoop.hashMs)} ms per check (in-process loop); process level (e) − (d): ${f2(hashInProcess.value)} ms durationMs, ${f2(hashWall.value)} ms wall`,
    `${f2(1.1 * opensslDgst.value)} ms (openssl dgst per file: ${f2(opensslDgst.value)} ms; openssl speed, in memory: ${f2(opensslSpeedMs)} ms)`,
    hashLoop.hashMs <= 1.1 * opensslDgst.value,
    `judged on the in-process loop vs openssl dgst per file (both read the file from the page cache); openssl dgst CI ${ci(opensslDgst)}, (e) − (d) wall CI ${ci(hashWall)}`,
  )
  line(
    checks,
    'repeat warmup() < 1 µs per call (Bun)',
    `${f2(loops.bun.warmupNs)} ns`,
    '< 1000 ns',
    loops.bun.warmupNs < 1000,
    `Node after a forced warmup: ${f2(loops.node.warmupNs)} ns; Node, not needed: ${f2(loops.nodeNotNeeded.warmupNs)} ns`,
  )

  const results = {
    date: new Date().toISOString(),
    command: `node bench/startup.js ${process.argv.slice(2).join(' ')}`.trim(),
    options: o,
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, kernel: os.release(), load: os.loadavg() },
    versions: { bun: version(bun, ['--version']), node: process.version, openssl: version('openssl', ['version']) },
    toolchain: toolchain(addon),
    seconds: Math.round((Date.now() - started) / 1000),
    // The commit measured; "-dirty" when tracked files outside bench/ differ from it.
    source: `${version('git', ['-C', ROOT, 'describe', '--always'])}${version('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench']) === '' ? '' : '-dirty'}`,
    digest,
    sizes,
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, strip(v)])),
    added: { wall: added, rss: addedRss },
    hashing: { loop: hashLoop, inProcess: hashInProcess, wall: hashWall, opensslDgst, opensslSpeedMs },
    node: { wall: nodeWall, requireMs: nodeOp },
    loops,
    pieces,
    budgets: BUDGETS,
    budget,
    checks,
    violations,
  }
  fs.mkdirSync(o.out, { recursive: true })
  fs.writeFileSync(path.join(o.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  const md = markdown(results)
  fs.writeFileSync(path.join(o.out, 'results.md'), md)
  process.stdout.write(md)
  if (o.chart) {
    const py = path.join(ROOT, '.tools', 'bench-venv', 'bin', 'python')
    execFileSync(py, [path.join(__dirname, 'chart.py'), path.join(o.out, 'results.json'), path.join(o.out, 'startup.png')], { stdio: 'inherit' })
  }
  if (violations.length) {
    process.stderr.write(`bench: ${violations.length} invariant violation(s):\n  ${violations.slice(0, 5).join('\n  ')}\n`)
    process.exitCode = 1
  }
}

/** How the addon measured was built: the pinned toolchain (scripts/versions.env) and what it links. */
function toolchain(addon) {
  const pins = require('../scripts/lib/versions').versionsEnv()
  let needed = []
  try {
    needed = require('../scripts/lib/elf-versions').readElf(fs.readFileSync(addon)).needed
  } catch {}
  return {
    rustc: version('rustc', ['--version']),
    zig: pins.ZIG_VERSION,
    cargoZigbuild: pins.CARGO_ZIGBUILD_VERSION,
    glibcFloor: pins.GLIBC_FLOOR,
    needed,
  }
}

/** Summary stats without the raw values (those stay in the per-sample arrays only while running). */
function strip(v) {
  const out = {}
  for (const [k, s] of Object.entries(v)) out[k] = s && typeof s === 'object' && 'values' in s ? { median: s.median, p10: s.p10, p90: s.p90, min: s.min } : s
  return out
}

function markdown(r) {
  const f = (n, d = 2) => (n === undefined || n === null ? '–' : n.toFixed(d))
  const s = r.summary
  const L = []
  L.push('# Startup benchmark', '')
  L.push(
    `${r.date.slice(0, 10)} · \`${r.command}\` · ${r.options.runs} fresh processes per case (+${r.options.warmupRounds} discarded rounds), all cases interleaved in shuffled order · ${r.machine.cpu}, ${r.machine.cores} cores, linux ${r.machine.kernel} (load average at the end ${r.machine.load.map((x) => x.toFixed(1)).join(' ')}) · Bun ${r.versions.bun}, Node ${r.versions.node}, ${r.versions.openssl} · source ${r.source}`,
    '',
  )
  const t = r.toolchain
  L.push(
    `Addon built by \`scripts/build.sh\` with ${t.rustc}, zig ${t.zig} (cargo-zigbuild ${t.cargoZigbuild}) for glibc ${t.glibcFloor}; it needs ${t.needed.join(', ')} (the unwinder is linked in). The run took ${r.seconds} s.`,
    '',
  )
  L.push(
    "Wall: fork to reap, measured by `bench/build/measure`; RSS: the child's peak (`ru_maxrss`); in-process: `performance.now()` around the operation inside the script. Added = median of the case − median of the empty script of the same runtime.",
    '',
  )
  L.push(
    '| case | wall median | wall p90 | added wall | peak RSS median | added RSS | in-process median | in-process p90 | in process ÷ (cn1) | added wall ÷ (c) |',
  )
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  const base = { bun: 'a', node: 'ne', openssl: 'o0' }
  for (const [id, v] of Object.entries(s)) {
    const b = s[base[v.group]]
    const addW = id === base[v.group] ? null : v.wall.median - b.wall.median
    const addR = id === base[v.group] ? null : v.rss.median - b.rss.median
    const ratio = v.group === 'bun' && addW !== null ? (addW / (s.c.wall.median - s.a.wall.median)).toFixed(2) : ''
    const opRatio = v.group === 'bun' && addW !== null ? (v.op.median / s.cn1.op.median).toFixed(2) : ''
    L.push(
      `| ${v.ref ? `*${v.label}*` : v.label} | ${f(v.wall.median)} ms | ${f(v.wall.p90)} ms | ${addW === null ? '' : `${f(addW)} ms`} | ${f(v.rss.median, 1)} MiB | ${addR === null ? '' : `${f(addR, 1)} MiB`} | ${v.op ? `${f(v.op.median, 3)} ms` : ''} | ${v.op ? `${f(v.op.p90, 3)} ms` : ''} | ${opRatio} | ${ratio} |`,
    )
  }
  L.push('')
  L.push(
    `Inside the addon (its settled status's durationMs: locate + verify + dlopen + Warmup() + signal repair): (d) ${f(s.d.warmupMs.median, 3)} ms median (p90 ${f(s.d.warmupMs.p90, 3)}), (e) ${f(s.e.warmupMs.median, 3)} ms (p90 ${f(s.e.warmupMs.p90, 3)}).`,
    '',
  )
  L.push(
    `Checksum cost, ${r.sizes.library.toLocaleString('en-US')}-byte library: the addon's check in one Bun process (300 calls, median minus the missing-file baseline) ${f(r.hashing.loop.hashMs, 3)} ms (best ${f(r.hashing.loop.hashMinMs, 3)}); across processes (e) − (d) ${f(r.hashing.inProcess.value, 3)} ms of the addon's durationMs (95% CI ${f(r.hashing.inProcess.ci[0], 3)} to ${f(r.hashing.inProcess.ci[1], 3)}) and ${f(r.hashing.wall.value)} ms wall. OpenSSL: \`openssl dgst -sha256\` per file ${f(r.hashing.opensslDgst.value, 3)} ms (library × ${DGST_REPEAT} minus empty file × ${DGST_REPEAT}, ÷ ${DGST_REPEAT}; 95% CI ${f(r.hashing.opensslDgst.ci[0], 3)} to ${f(r.hashing.opensslDgst.ci[1], 3)}); \`openssl speed -evp sha256 -bytes ${r.sizes.library}\` ${f(r.hashing.opensslSpeedMs, 3)} ms per hash in memory.`,
    '',
  )
  L.push(
    `Repeat calls (median of 7 batches, each up to ${r.options.loop.toLocaleString('en-US')} calls or 50 ms): Bun warmup() ${f(r.loops.bun.warmupNs, 1)} ns, status() ${f(r.loops.bun.statusNs, 1)} ns; Node after a forced warmup: warmup() ${f(r.loops.node.warmupNs, 1)} ns, status() ${f(r.loops.node.statusNs, 1)} ns; Node, warmup not needed (no force): warmup() ${f(r.loops.nodeNotNeeded.warmupNs, 1)} ns, status() ${f(r.loops.nodeNotNeeded.statusNs, 1)} ns.`,
    '',
  )
  L.push(
    `Sizes: addon \`.node\` ${r.sizes.addon.toLocaleString('en-US')} bytes (${(r.sizes.addon / 1024).toFixed(1)} KiB); go-warmup library ${r.sizes.library.toLocaleString('en-US')} bytes (${(r.sizes.library / 1024 / 1024).toFixed(2)} MiB); the floor addon ${r.sizes.floor.toLocaleString('en-US')} bytes; the napi-rs floor ${r.sizes.napiFloor.toLocaleString('en-US')} bytes.`,
    '',
  )
  const table = (title, rows, kind) => {
    L.push(title, '', `| ${kind} | measured | limit | result | note |`, '| --- | --- | --- | --- | --- |')
    for (const b of rows) L.push(`| ${b.name} | ${b.value} | ${b.limit} | ${b.pass === null ? 'reported' : b.pass ? 'pass' : '**miss**'} | ${b.note} |`)
    L.push('')
  }
  table('## Targets (issue 20)', r.budget, 'target')
  table('## Other checks (issue 5) and figures reported', r.checks, 'check')
  L.push(
    "## Where (d)'s cost goes: A/B per piece",
    '',
    `Each row is a copy of (d)'s package with one piece of index.js taken out (bench/startup.js PIECES), required by \`bench/cases/pkg.js\` like the control, a copy with nothing taken out, in the same run. Against (cn1): (d) ${f(s.d.op.median / s.cn1.op.median)} ×, the control ${f(s.dC.op.median / s.cn1.op.median)} ×, our addon behind a one-line entry (d0) ${f(s.d0.op.median / s.cn1.op.median)} ×, and with index.js's code parsed but not run (dP) ${f(s.dP.op.median / s.cn1.op.median)} ×.`,
    '',
    '| taken out | without it ÷ (cn1) | control − without it, in process (95% CI) | ÷ (cn1) |',
    '| --- | ---: | ---: | ---: |',
  )
  for (const p of r.pieces)
    L.push(
      `| ${p.piece} | ${f(p.ratioWithout)} | ${f(p.savedMs * 1000, 0)} µs [${f(p.ci[0] * 1000, 0)}, ${f(p.ci[1] * 1000, 0)}] | ${f(p.savedOfBaseline, 3)} |`,
    )
  L.push('')
  if (r.violations.length) L.push(`**${r.violations.length} invariant violation(s)**: ${r.violations.slice(0, 3).join('; ')}`, '')
  L.push('![startup chart](startup.png)', '')
  return `${L.join('\n')}\n`
}

// Run as a script; required (by __test__/entry.test.js), it gives the A/B pieces, which must keep matching index.js.
if (require.main === module) main()
else module.exports = { VARIANTS, entryWithout }
