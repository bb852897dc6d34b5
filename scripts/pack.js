#!/usr/bin/env node
'use strict'
// Packs what gets published: the root package and platform packages, as npm tarballs.
//
//   node scripts/pack.js [--out DIR] [--repository URL] [--json] [--host | --all | TRIPLE...]
//
// Default (`npm run pack:npm`): the root and all four platform packages, into dist/npm; every
// platform is built on linux (scripts/build.sh all), so one machine packs the whole release.
// --host: the root and this machine's platform package only. The root is packed from
// a staging copy of exactly the files `npm pack` would take from the checkout, with the release
// manifest of scripts/sync-versions.js (optionalDependencies on the four platform packages at
// the same version; `repository` when --repository is given, as npm provenance needs it).
// A platform package is packed only when its package.json is in sync and every file it lists is
// there and its go-warmup library matches its sums file: npm pack would silently leave a missing
// file out. --json prints a summary (files, sizes) for the test and the release job.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { execFileSync } = require('node:child_process')
const { platforms, platformManifest, releaseManifest, staleFiles } = require('./sync-versions')
const { packageTriple } = require('../lib/platforms')
const { scriptArgs } = require('./lib/args')

const ROOT = path.resolve(__dirname, '..')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function npmPack(dir, args) {
  const stdout = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--loglevel=error', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  })
  // npm prints the JSON array last; anything before it would be lifecycle noise.
  return JSON.parse(stdout.slice(stdout.indexOf('[')))[0]
}

const summary = (kind, dir, info, out) => ({
  kind,
  name: info.name,
  version: info.version,
  dir: path.relative(ROOT, dir) || '.',
  tarball: path.join(out, info.filename),
  size: info.size,
  unpackedSize: info.unpackedSize,
  files: info.files.map((f) => f.path).sort(),
})

function packRoot(out, { repository } = {}) {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  const listed = npmPack(ROOT, ['--dry-run']).files.map((f) => f.path)
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-stage-'))
  try {
    for (const file of listed) {
      if (file === 'package.json') continue
      fs.mkdirSync(path.join(stage, path.dirname(file)), { recursive: true })
      fs.copyFileSync(path.join(ROOT, file), path.join(stage, file))
    }
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(releaseManifest(root, { repository }), null, 2)}\n`)
    const info = npmPack(stage, ['--pack-destination', out])
    const packed = info.files.map((f) => f.path).sort()
    if (JSON.stringify(packed) !== JSON.stringify([...listed].sort())) {
      throw new Error(`the staged root packed ${packed.join(', ')}; the checkout would pack ${listed.join(', ')}`)
    }
    return summary('root', ROOT, info, out)
  } finally {
    fs.rmSync(stage, { recursive: true, force: true })
  }
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

function packPlatform(root, p, out, { repository } = {}) {
  const dir = path.join(ROOT, p.dir)
  const stale = staleFiles(ROOT).filter((f) => f.startsWith(p.dir + path.sep))
  if (stale.length) throw new Error(`${stale.join(', ')} out of date: run node scripts/sync-versions.js`)
  const missing = [p.addon, p.library, p.sums].filter((f) => !fs.existsSync(path.join(dir, f)))
  if (missing.length) {
    throw new Error(`${p.dir} lacks ${missing.join(', ')}: build it first (scripts/build.sh ${p.triple}, or all)`)
  }
  const line = fs
    .readFileSync(path.join(dir, p.sums), 'utf8')
    .split('\n')
    .find((l) => l.endsWith(`  ./${p.library}`))
  if (!line || line.split(' ')[0] !== sha256(path.join(dir, p.library))) {
    throw new Error(`${p.dir}/${p.library} does not match ${p.dir}/${p.sums}`)
  }
  // Packed from a staging copy too, so a release can add `repository` (npm provenance checks it).
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-stage-'))
  try {
    for (const f of [p.addon, p.library, p.sums, 'README.md', 'embedded.js']) fs.copyFileSync(path.join(dir, f), path.join(stage, f))
    const manifest = platformManifest(repository ? { ...root, repository } : root, p)
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    return summary('platform', dir, npmPack(stage, ['--pack-destination', out]), out)
  } finally {
    fs.rmSync(stage, { recursive: true, force: true })
  }
}

function pack({ out = path.join(ROOT, 'dist', 'npm'), triples, repository } = {}) {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  const all = platforms(root)
  const chosen = triples ?? all.map((p) => p.triple)
  const unknown = chosen.filter((t) => !all.some((p) => p.triple === t))
  if (unknown.length) throw new Error(`unknown platform ${unknown.join(', ')} (known: ${all.map((p) => p.triple).join(', ')})`)
  fs.mkdirSync(out, { recursive: true })
  out = fs.realpathSync(out)
  return [packRoot(out, { repository }), ...all.filter((p) => chosen.includes(p.triple)).map((p) => packPlatform(root, p, out, { repository }))]
}

const FLAGS = { out: { type: 'string' }, repository: { type: 'string' }, json: { type: 'boolean' }, host: { type: 'boolean' }, all: { type: 'boolean' } }

function main(argv) {
  const { values, positionals, fail } = scriptArgs({ name: 'pack', file: __filename, options: FLAGS, allowPositionals: true }, argv)
  if ([values.host, values.all, positionals.length].filter(Boolean).length > 1) fail('--host, --all and TRIPLE... are alternatives: give one')
  const triples = values.host ? [packageTriple()].filter(Boolean) : positionals.length ? positionals : undefined
  const packed = pack({ out: values.out, repository: values.repository, triples })
  if (values.json) process.stdout.write(`${JSON.stringify(packed, null, 2)}\n`)
  else for (const p of packed) process.stdout.write(`${p.tarball}  ${p.size} bytes packed, ${p.unpackedSize} unpacked, ${p.files.length} files\n`)
}

try {
  main(process.argv.slice(2))
} catch (err) {
  process.stderr.write(`pack: ${err.message}\n`)
  process.exitCode = 1
}
