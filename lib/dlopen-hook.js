'use strict'
// Runs a callback after every native module load. Bun's require() of a `.node` file (from CJS,
// from an ESM import of a CJS package, inside `bun test`) goes through the global
// process.dlopen, and nothing else: Module._extensions['.node'], Module._load and Bun.plugin
// onLoad are never called for it (measured on Bun 1.2.20, 1.3.14 and 1.4.5). Node does the same.

const INSTALLED = Symbol.for('asherah-warmup.dlopenHook')

function installDlopenHook(afterLoad) {
  if (process[INSTALLED]) return false
  const original = process.dlopen
  Object.defineProperty(process, INSTALLED, { value: original })
  process.dlopen = function dlopen() {
    try {
      // `arguments` as given: Node rejects an explicit undefined flags argument.
      return Reflect.apply(original, this, arguments)
    } finally {
      // Also after a throwing init: a Go constructor has run by then all the same.
      afterLoad()
    }
  }
  return true
}

module.exports = { installDlopenHook }
