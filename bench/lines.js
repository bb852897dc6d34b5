'use strict'
// The product's size in lines, for issue 20's targets: lib/ as it ships (every line of every file), and src/ without its
// tests (the *_tests.rs files, test_support.rs, and every item under #[cfg(test)] or #[cfg(all(test, ...))]).

const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')

/** The files below `dir` whose names end in `ext`. */
const filesUnder = (dir, ext) =>
  fs
    .readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(ext))
    .map((name) => path.join(dir, name))

const linesOf = (file) => fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n')

/** A Rust file's line count without its test items: the cfg attribute and what follows it to a `;` or the closing brace. */
function withoutTests(lines) {
  let count = 0
  let i = 0
  while (i < lines.length) {
    if (!/^\s*#\[cfg\((all\()?test\b/.test(lines[i++])) {
      count++
      continue
    }
    let depth = 0
    let opened = false
    while (i < lines.length) {
      // Braces inside a string literal ("{}", "\n}\n") are not the item's.
      const line = lines[i++].replace(/"(?:[^"\\]|\\.)*"/g, '""')
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length
      opened ||= line.includes('{')
      if (opened ? depth <= 0 : /[;,]\s*$/.test(line)) break
    }
  }
  return count
}

/** { lib, src }: lib/'s lines, and src/'s without its tests. */
function productLines() {
  const lib = filesUnder(path.join(ROOT, 'lib'), '.js').reduce((sum, file) => sum + linesOf(file).length, 0)
  const rust = filesUnder(path.join(ROOT, 'src'), '.rs').filter((file) => !/(_tests|test_support)\.rs$/.test(file))
  return { lib, src: rust.reduce((sum, file) => sum + withoutTests(linesOf(file)), 0) }
}

module.exports = { productLines, withoutTests }
