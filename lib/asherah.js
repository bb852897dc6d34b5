'use strict'
// The asherah an app would require (for its downloaded lib/ copy, and doctor), folder by folder as require finds
// it: Node refuses to resolve asherah/package.json for 3.x, whose `exports` has only ".".

const fs = require('node:fs')
const path = require('node:path')

/** asherah's package folder as a require from `file` would find it, or undefined. */
function asherahFolder(file) {
  const folders = require('node:module').createRequire(file).resolve.paths('asherah') ?? []
  return folders.map((dir) => path.join(dir, 'asherah')).find((dir) => fs.existsSync(path.join(dir, 'package.json')))
}

module.exports = { asherahFolder }
