'use strict'
// What every shipped native file must be, as lists of problems (empty = fine): one function per
// file format, used by __test__/artifacts.test.js on the real npm/<triple>/ files and on
// deliberately wrong hand-made ones. Callers pass the floors (scripts/versions.env) and file names
// (scripts/sync-versions.js), so the checks and the builds cannot drift apart.
const { readElf, tooNew, compareVersions, ERA_LIMITS } = require('./elf-versions')
const macho = require('./macho')

/** Folders of a build machine that must not appear in a shipped file (checkouts, caches, temp). */
const BUILD_PATHS = ['/work/', '/root/', '/home/', '/tmp/', '/Users/', '/private/var/', '/var/folders/']

function buildPaths(buf) {
  return BUILD_PATHS.filter((p) => buf.includes(p, 0, 'latin1'))
}

const ELF_MACHINE = { x64: 'x86_64', arm64: 'aarch64' }

/** An ELF file for linux-CPU: right machine, nothing newer than the glibc floor's era, no build paths. */
function elfProblems(buf, { cpu, glibcFloor }) {
  let elf
  try {
    elf = readElf(buf)
  } catch (err) {
    return [err.message]
  }
  const problems = []
  if (elf.machine !== ELF_MACHINE[cpu]) problems.push(`machine ${elf.machine}, want ${ELF_MACHINE[cpu]}`)
  const limits = { ...ERA_LIMITS, GLIBC: glibcFloor }
  if (compareVersions(glibcFloor, ERA_LIMITS.GLIBC) > 0) problems.push(`GLIBC_FLOOR ${glibcFloor} is newer than the era limits of scripts/lib/elf-versions.js`)
  for (const v of tooNew(elf, limits)) problems.push(`needs ${v}, newer than the floor`)
  for (const p of buildPaths(buf)) problems.push(`contains the build path ${p}`)
  return problems
}

const MACHO_CPU = { x64: 'x86_64', arm64: 'arm64' }
/** Where a darwin file may load libraries from: the system's own. */
const SYSTEM_LIBRARY = /^(\/usr\/lib\/|\/System\/Library\/)/

/**
 * A Mach-O file for darwin-CPU: its CPU and file type, the export it exists for, system libraries
 * only, minos, an install name that names no folder of the build machine, no build paths, a sound
 * indirect symbol table, and a code signature whose every page hash matches (required on arm64,
 * where macOS refuses unsigned code; x86_64 files from zig, like ld64's, carry none).
 */
function machoProblems(buf, { cpu, filetypes, exportName, minos }) {
  let m
  try {
    m = macho.parse(buf)
  } catch (err) {
    return [err.message]
  }
  const problems = []
  if (m.cpu !== MACHO_CPU[cpu]) problems.push(`CPU ${m.cpu}, want ${MACHO_CPU[cpu]}`)
  if (!filetypes.includes(m.filetype)) problems.push(`file type ${m.filetype}, want ${filetypes.join(' or ')}`)
  try {
    if (!macho.exportedNames(buf, m).includes(exportName)) problems.push(`does not export ${exportName}`)
  } catch (err) {
    problems.push(err.message)
  }
  for (const lib of m.dylibs) if (!SYSTEM_LIBRARY.test(lib)) problems.push(`loads ${lib}, not a system library`)
  for (const rpath of m.rpaths) problems.push(`has the rpath ${rpath}`)
  if (m.minos !== minos) problems.push(`minos ${m.minos}, want ${minos}`)
  if (m.filetype === 'MH_DYLIB' && (!m.idDylib || m.idDylib.startsWith('/'))) problems.push(`install name ${m.idDylib}: want @rpath/<file> or a bare file name`)
  for (const p of buildPaths(buf)) problems.push(`contains the build path ${p}`)
  try {
    for (const p of macho.indirectSymbolProblems(buf, m)) problems.push(p)
    const sig = macho.codeSignature(buf, m)
    if (!sig) {
      if (cpu === 'arm64') problems.push('no LC_CODE_SIGNATURE: arm64 macOS refuses unsigned code')
    } else {
      if (!sig.adhoc) problems.push('the code signature is not ad hoc')
      if (sig.badPages.length) problems.push(`code signature hashes do not match pages ${sig.badPages.slice(0, 5).join(', ')}`)
      if (sig.codeLimit !== m.codeSignature.dataoff) problems.push(`the signature covers ${sig.codeLimit} bytes, the code ends at ${m.codeSignature.dataoff}`)
    }
  } catch (err) {
    problems.push(err.message)
  }
  return problems
}

module.exports = { buildPaths, elfProblems, machoProblems, BUILD_PATHS, SYSTEM_LIBRARY }
