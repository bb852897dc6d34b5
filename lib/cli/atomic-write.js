'use strict'
// Files the download tool writes, whole or not at all: each goes to a temporary file in the same
// folder (a rename is atomic only within one filesystem), is fsynced and renamed onto its name, and
// the folder is fsynced so the rename survives a crash. A run killed mid-write leaves a temporary
// file; later runs sweep it once it is clearly abandoned.

const fsp = require('node:fs/promises')
const path = require('node:path')

/** `.<name>.<pid>.<12 hex>.tmp`: hidden, and traceable to the process that made it. */
const TEMP = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/
/** Older than this, no live run is still writing it (a run writes its files in moments). */
const STALE_MS = 10 * 60 * 1000

/** The bytes of a regular file, or null when there is none. */
const readIfFile = async (file) => ((await fsp.stat(file).catch(() => null))?.isFile() ? fsp.readFile(file) : null)

/** Removes our temporary files for these final names from `dir` once older than STALE_MS. */
async function sweepStaleTemps(dir, names) {
  for (const entry of await fsp.readdir(dir).catch(() => [])) {
    const file = path.join(dir, entry)
    const stat = names.includes(TEMP.exec(entry)?.[1]) ? await fsp.lstat(file).catch(() => null) : null
    if (stat?.isFile() && Date.now() - stat.mtimeMs > STALE_MS) await fsp.rm(file, { force: true })
  }
}

/** Writes `bytes` into a new `file`, or opens a folder, and fsyncs it; a folder's fsync is best effort (some filesystems refuse it). */
async function fsync(file, flags, bytes) {
  const handle = await fsp.open(file, flags, 0o644)
  try {
    if (bytes) await handle.writeFile(bytes)
    await handle.sync().catch((err) => bytes && Promise.reject(err))
  } finally {
    await handle.close()
  }
}

/** Writes each [file, bytes] (all in `dir`); on failure removes its temporary files and the folders it made. */
async function writeAtomically(dir, entries) {
  const created = await fsp.mkdir(dir, { recursive: true })
  const suffix = `${process.pid}.${require('node:crypto').randomBytes(6).toString('hex')}.tmp`
  const temps = entries.map(([file]) => path.join(dir, `.${path.basename(file)}.${suffix}`))
  try {
    for (const [i, [, bytes]] of entries.entries()) await fsync(temps[i], 'wx', bytes)
    for (const [i, [file]] of entries.entries()) await fsp.rename(temps[i], file)
    await fsync(dir, 'r')
  } catch (err) {
    await Promise.all(temps.map((tmp) => fsp.rm(tmp, { force: true })))
    // Innermost first: a folder that is not empty stays, and so do the ones above it.
    for (let folder = dir; created && folder.startsWith(created); folder = path.dirname(folder)) await fsp.rmdir(folder).catch(() => {})
    throw err
  }
}

module.exports = { readIfFile, sweepStaleTemps, writeAtomically, STALE_MS }
