#!/usr/bin/env node
'use strict'
// The version lives in one place: the root package.json; the platform names in another:
// lib/platforms.js; the error codes in a third: scripts/lib/error-codes.js. This script derives
// everything else from them: each platform package's package.json, README.md and embedded.js
// (npm/<triple>/, one per napi target), the addon's src/platform.rs (the names it looks for, per
// Rust target), the [package] version of Cargo.toml and Cargo.lock, and, for a release, the root
// manifest's optionalDependencies on the four platform packages at exactly that version; and every
// copy of the error codes: the addon's src/error/code.rs, and the marked parts of lib/codes.js,
// index.d.ts and README.md; and index.js's copies of three platform functions, the codes and the
// API's names, and node.js's copy of index.js's doorway (codeFiles).
//
//   node scripts/sync-versions.js [--check | --list]
//
//   (no option)  write what differs, print what changed
//   --check      write nothing; exit 1 and list what differs
//   --list       the platform table for the shell scripts (scripts/lib/native.sh
//                native_platforms): one tab-separated line per platform package
//
// The optionalDependencies are not kept in the checkout's package.json: npm ci refuses a
// package.json that declares a dependency missing from package-lock.json, and an unpublished
// version can never be in the lock. scripts/pack.js writes them into the packed manifest
// (releaseManifest below), which is what the registry and the offline install test see.
// Why not `napi version` / `napi pre-publish` (napi-rs CLI v3): `version` only copies the version
// field, and `pre-publish` publishes from a staged snapshot of its own; the platform packages here
// carry more than the .node file (the go-warmup library and its sums file) and need `libc`, so the
// whole manifest is generated here and packed and published by scripts/pack.js and release.yml.
const fs = require('node:fs')
const path = require('node:path')
const { libraryName, packageTriple } = require('../lib/platforms.js')
const { scriptArgs } = require('./lib/args')
const { versionsEnv } = require('./lib/versions')
const { ERROR_CODES, RAISE_FILE_LIMIT } = require('./lib/error-codes')

const ROOT = path.resolve(__dirname, '..')

/** napi target triple -> the Node platform and arch it serves (and libc, for npm's `libc` field). */
const TARGETS = {
  'x86_64-unknown-linux-gnu': { os: 'linux', cpu: 'x64', libc: 'glibc' },
  'aarch64-unknown-linux-gnu': { os: 'linux', cpu: 'arm64', libc: 'glibc' },
  'x86_64-apple-darwin': { os: 'darwin', cpu: 'x64' },
  'aarch64-apple-darwin': { os: 'darwin', cpu: 'arm64' },
}

/** The upstream sums file that lists a platform's library (the addon reads none other: src/platform.rs). */
const sumsFileName = (platform) => (platform === 'darwin' ? 'SHA256SUMS-darwin' : 'SHA256SUMS')

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'))
const jsonText = (value) => `${JSON.stringify(value, null, 2)}\n`

/** The platform packages of the root manifest's napi targets, named by lib/platforms.js (the one table of names). */
function platforms(root) {
  return root.napi.targets.map((target) => {
    const t = TARGETS[target]
    if (!t) throw new Error(`napi target ${target} has no platform package mapping in scripts/sync-versions.js`)
    const triple = packageTriple(t.os, t.cpu)
    return {
      ...t,
      target,
      triple,
      name: `${root.napi.packageName}-${triple}`,
      dir: path.join('npm', triple),
      addon: `${root.napi.binaryName}.${triple}.node`,
      library: libraryName(t.os, t.cpu),
      sums: sumsFileName(t.os),
    }
  })
}

/** `repository` of a platform package: the root's, pointing into npm/<triple>. */
function platformRepository(repository, dir) {
  if (!repository) return undefined
  const url = typeof repository === 'string' ? repository : repository.url
  return { type: 'git', url, directory: dir }
}

function platformManifest(root, p) {
  const libcText = p.libc ? ` (${p.libc})` : ''
  const manifest = {
    name: p.name,
    version: root.version,
    description: `${p.os}-${p.cpu}${libcText} binaries of ${root.name}: its N-API addon and ${p.library}, the go-warmup library it loads.`,
    license: root.license,
    type: 'commonjs',
    main: p.addon,
    files: [p.addon, p.library, p.sums, 'embedded.js'],
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    engines: root.engines,
    repository: platformRepository(root.repository, p.dir.split(path.sep).join('/')),
    homepage: root.homepage,
    bugs: root.bugs,
    author: root.author,
    keywords: root.keywords,
  }
  return JSON.parse(JSON.stringify(manifest)) // drops the undefined fields
}

/** The floors of the shipped binaries (scripts/versions.env), as a reader of the README needs them. */
function floorText(p, rootDir = ROOT) {
  const env = versionsEnv(path.join(rootDir, 'scripts', 'versions.env'))
  return p.os === 'linux' ? `glibc ${env.GLIBC_FLOOR} or later (RHEL/CentOS 7 and newer)` : `macOS ${env.MACOS_MIN} or later`
}

function platformReadme(root, p) {
  return `# \`${p.name}\`

The **${p.target}** binaries of [\`${root.name}\`](https://www.npmjs.com/package/${root.name}),
for ${floorText(p)}:

- \`${p.addon}\`: the N-API addon (Rust, napi-rs)
- \`${p.library}\`: the go-warmup library it loads to start a Go runtime (built from
  asherah-cobhan's \`go_warmup.go\`), with \`${p.sums}\` listing its SHA-256

Do not install this package directly: install \`${root.name}\`, which lists it as an optional
dependency so npm, pnpm, yarn and Bun install only the package of the machine they run on.
`
}

/** The root manifest as published: the checkout's, plus the platform packages as optionalDependencies. */
function releaseManifest(root, { repository } = {}) {
  const out = { ...root }
  if (repository) out.repository = { type: 'git', url: repository }
  const optional = { ...(root.optionalDependencies || {}) }
  for (const p of platforms(root)) optional[p.name] = root.version
  // Keep the key where npm puts it, after dependencies-ish fields: insertion order is enough.
  out.optionalDependencies = optional
  return out
}

/**
 * npm/<triple>/embedded.js: the platform's files by literal path, so that `bun build --compile`
 * embeds them (lib/addon.js requires this file inside such an executable).
 */
function platformEmbedded(p) {
  return `'use strict'
// For \`bun build --compile\`: literal paths, so that Bun embeds this platform's addon, go-warmup
// library and sums file in the executable (asherah-warmup's lib/addon.js requires this file there).
// Written by scripts/sync-versions.js.
exports.addon = () => require('./${p.addon}')
exports.library = () => require('./${p.library}')
exports.sums = () => require('./${p.sums}')
`
}

/**
 * src/platform.rs: the release file names the addon looks for, chosen when it is compiled for a
 * target (so it never guesses its platform at run time), from this table rather than a copy.
 */
function platformRust(root) {
  // Rust's target_arch is the triple's first part; its target_os for darwin is macos.
  const cfg = (p) => `all(target_os = "${p.os === 'darwin' ? 'macos' : p.os}", target_arch = "${p.target.split('-')[0]}")`
  const all = platforms(root)
  const rows = all.map((p) => `#[cfg(${cfg(p)})]\nconst NAMES: [&str; 2] = ["${p.library}", "${p.sums}"];\n`)
  // Laid out as rustfmt lays it out: lint's `cargo fmt --check` reads this file too.
  return `//! The go-warmup release file name and sums file name of the platform this addon is compiled
//! for. Written by scripts/sync-versions.js from lib/platforms.js's platform table: do not edit
//! (\`npm run sync-versions\` rewrites it; its \`--check\`, in the suite, fails when it is stale).

${rows.join('')}/// No upstream library: the addon still builds and reports the platform as unsupported.
#[cfg(not(any(
${all.map((p) => `    ${cfg(p)}`).join(',\n')}
)))]
const NAMES: [&str; 2] = ["", ""];

/// The release file name for the platform this addon was built for.
pub const LIBRARY_NAME: &str = NAMES[0];
/// The upstream sums file that lists it.
pub const SUMS_NAME: &str = NAMES[1];
`
}

/** [file, wanted text] pairs this script owns, for a root manifest. */
function derivedFiles(root, rootDir = ROOT) {
  const files = []
  for (const p of platforms(root)) {
    files.push([path.join(rootDir, p.dir, 'package.json'), jsonText(platformManifest(root, p))])
    files.push([path.join(rootDir, p.dir, 'README.md'), platformReadme(root, p)])
    files.push([path.join(rootDir, p.dir, 'embedded.js'), platformEmbedded(p)])
  }
  files.push([path.join(rootDir, 'src', 'platform.rs'), platformRust(root)])
  // Cargo's version of the crate: only the [package] line and the lock entry of this crate change.
  const cargoToml = path.join(rootDir, 'Cargo.toml')
  if (fs.existsSync(cargoToml)) {
    const text = fs.readFileSync(cargoToml, 'utf8')
    files.push([cargoToml, text.replace(/^(\[package\][^[]*?^version = ")[^"]*(")/m, `$1${root.version}$2`)])
  }
  const cargoLock = path.join(rootDir, 'Cargo.lock')
  if (fs.existsSync(cargoLock)) {
    const text = fs.readFileSync(cargoLock, 'utf8')
    const crate = root.napi.binaryName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    files.push([cargoLock, text.replace(new RegExp(`^(name = "${crate}"\\nversion = ")[^"]*(")`, 'm'), `$1${root.version}$2`)])
  }
  return files
}

const CODES_SOURCE = 'scripts/lib/error-codes.js'
/** The Rust variant of a code's name: NOT_FOUND -> NotFound. */
const variant = (name) => name.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, c) => c.toUpperCase())

/** The table, refused where a copy could not carry it (a name that is no Rust variant, a `when` that is no table cell). */
function errorCodes() {
  const refuse = (c, why) => {
    throw new Error(`${CODES_SOURCE}: ${c.name} ${why}`)
  }
  const names = new Set()
  for (const c of ERROR_CODES) {
    if (!/^[A-Z]+(_[A-Z]+)*$/.test(c.name)) refuse(c, 'is not UPPER_SNAKE')
    if (names.has(c.name)) refuse(c, 'is listed twice')
    if (/[|\n]/.test(c.when)) refuse(c, "has a `when` with '|' or a newline")
    names.add(c.name)
  }
  return ERROR_CODES
}

/** src/error/code.rs, whole: the enum the addon's errors carry and each one's `code` string. */
function codesRust(codes) {
  const variants = codes.map((c) => `    ${variant(c.name)},\n`)
  const arms = codes.map((c) => `            Code::${variant(c.name)} => "${c.code}",\n`)
  // Laid out as rustfmt lays it out: lint's `cargo fmt --check` reads this file too.
  return `//! The codes of the addon's errors. Written by scripts/sync-versions.js from ${CODES_SOURCE}:
//! do not edit (\`npm run sync-versions\` rewrites it; its \`--check\`, in the suite, fails when it is
//! stale). Each code's meaning and fix: README's error table. The rest of the error type is
//! hand-written, in src/error.rs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
${variants.join('')}}

/// The fix wherever the process is out of file descriptors.
pub const RAISE_FILE_LIMIT: &str = ${JSON.stringify(RAISE_FILE_LIMIT)};

impl Code {
    /// The \`code\` of the JS error (napi-rs makes an error's status string its \`code\`).
    pub fn as_str(self) -> &'static str {
        match self {
${arms.join('')}        }
    }
}
`
}

/** A JS `const` of a string, laid out as Biome lays it out (160 columns), for generated parts it checks. */
function jsConst(name, value) {
  const line = `const ${name} = ${JSON.stringify(value)}`
  return line.length <= 160 ? `${line}\n` : `const ${name} =\n  ${JSON.stringify(value)}\n`
}

/** lib/codes.js's CODES: a literal (built from a list at load it cost Bun 0.13 ms, bench/README.md). */
const codesJs = (codes) =>
  `const CODES = Object.freeze({\n${codes.map((c) => `  ${c.name}: '${c.code}',\n`).join('')}})\n${jsConst('RAISE_FILE_LIMIT', RAISE_FILE_LIMIT)}`

/** index.d.ts's `codes`, each with its `when` and `fix` for an editor's hover; ErrorCode is derived from it there. */
const codesDts = (codes) => `/** The stable error codes, by name (README.md's error table). */
export const codes: Readonly<{
${codes.map((c) => `  /**\n   * When: ${c.when}\n   * Fix: ${c.fix}\n   */\n  ${c.name}: '${c.code}'\n`).join('')}}>
`

/** README.md's error table. */
const codesReadme = (codes) => `\n| code | when |\n| --- | --- |\n${codes.map((c) => `| \`${c.code}\` | ${c.when} |\n`).join('')}\n`

/** The lines around a generated part (`name`, written from `from`) of a hand-written file, in its comment syntax. */
const markers = (open, close = '', name = 'codes', from = CODES_SOURCE) => [
  `${open} BEGIN ${name}: written by scripts/sync-versions.js from ${from}; do not edit${close}`,
  `${open} END ${name}${close}`,
]

/** What index.js, which a default Bun require runs alone, copies from lib/platforms.js. */
function platformCopies() {
  const source = fs.readFileSync(path.join(ROOT, 'lib', 'platforms.js'), 'utf8')
  const functions = ['tripleOf', 'addonBeside', 'repairsSignals'].map((name) => {
    const line = source.split('\n').find((l) => l.startsWith(`const ${name} = `))
    if (!line) throw new Error(`lib/platforms.js has no one-line \`const ${name} = \`: index.js copies it from there`)
    return `${line}\n`
  })
  return functions.join('')
}

/** What index.js's doorway copies from the codes table and lib/api.js's names. */
function nameCopies(codes) {
  const names = Object.keys(require('../lib/api.js')).map((name) => `'${name}'`)
  return `${codesJs(codes)}const API_NAMES = [${names.join(', ')}]\n`
}

/** index.js's doorway (its copies, lib/api.js loaded on a name's first call), which node.js, Node's and Deno's entry, copies. */
const DOORWAY = ['// BEGIN doorway: node.js has a copy of this part, written by scripts/sync-versions.js', '// END doorway']

/** [start, stop]: where what lies between the marker lines of `rel` (its `text`) begins and ends. */
function markedPart(rel, text, [begin, end]) {
  const start = text.indexOf(`${begin}\n`)
  const stop = start < 0 ? -1 : text.indexOf(`${end}\n`, start)
  if (stop < 0) throw new Error(`${rel} has lost the marker lines around its generated part (\`${begin}\` ... \`${end}\`): put them back`)
  return [start + begin.length + 1, stop]
}

/** `text` of `rel` with what lies between its marker lines replaced by `body`. */
function spliced(rel, text, mark, body) {
  const [start, stop] = markedPart(rel, text, mark)
  return `${text.slice(0, start)}${body}${text.slice(stop)}`
}

/** [file, wanted text] pairs of every copy of the error codes table, and of the entries' copies. */
function codeFiles(rootDir = ROOT) {
  const codes = errorCodes()
  const read = (rel) => fs.readFileSync(path.join(rootDir, rel), 'utf8')
  let index = spliced('index.js', read('index.js'), markers('//', '', 'platform copies', 'lib/platforms.js'), platformCopies())
  index = spliced('index.js', index, markers('//', '', 'copies', `lib/api.js and ${CODES_SOURCE}`), nameCopies(codes))
  const doorway = index.slice(...markedPart('index.js', index, DOORWAY))
  const splice = (rel, mark, body) => [path.join(rootDir, rel), spliced(rel, read(rel), mark, body)]
  return [
    [path.join(rootDir, 'src', 'error', 'code.rs'), codesRust(codes)],
    splice('lib/codes.js', markers('//'), codesJs(codes)),
    [path.join(rootDir, 'index.js'), index],
    splice('node.js', markers('//', '', 'doorway', 'index.js'), doorway),
    splice('index.d.ts', markers('//'), codesDts(codes)),
    splice('README.md', markers('<!--', ' -->'), codesReadme(codes)),
  ]
}

/** Every file this script writes, for the checkout's root manifest. */
const allFiles = (root, rootDir) => [...derivedFiles(root, rootDir), ...codeFiles(rootDir)]

/** Files whose content differs from what the root manifest and the tables imply (relative paths). */
function staleFiles(rootDir = ROOT) {
  const root = readJson(path.join(rootDir, 'package.json'))
  return allFiles(root, rootDir)
    .filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text)
    .map(([file]) => path.relative(rootDir, file))
}

function main(args) {
  const options = { check: { type: 'boolean' }, list: { type: 'boolean' } }
  const { values, fail } = scriptArgs({ name: 'sync-versions', file: __filename, options }, args)
  const { check, list } = values
  if (check && list) fail('--check and --list exclude each other')
  const root = readJson(path.join(ROOT, 'package.json'))
  if (list) {
    // The one platform table: the shell scripts read it here instead of keeping their own copy.
    for (const p of platforms(root)) process.stdout.write(`${[p.target, p.triple, p.os, p.cpu, p.addon, p.library, p.sums].join('\t')}\n`)
    return 0
  }
  const stale = staleFiles(ROOT)
  if (check) {
    if (stale.length === 0) {
      process.stdout.write(`sync-versions: every derived file matches ${root.name}@${root.version} and ${CODES_SOURCE}\n`)
      return 0
    }
    process.stderr.write(
      `sync-versions: out of date with ${root.name}@${root.version} or ${CODES_SOURCE}: ${stale.join(', ')}\nFix: node scripts/sync-versions.js\n`,
    )
    return 1
  }
  for (const [file, text] of allFiles(root, ROOT)) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.tmp-${process.pid}`
    fs.writeFileSync(tmp, text)
    fs.renameSync(tmp, file)
    process.stdout.write(`sync-versions: wrote ${path.relative(ROOT, file)}\n`)
  }
  return 0
}

module.exports = { sumsFileName, platforms, platformManifest, releaseManifest, derivedFiles, codeFiles, variant, staleFiles }

if (require.main === module) process.exitCode = main(process.argv.slice(2))
