'use strict'
// The asherah (asherah-node) an app would require, for the library it downloads into its lib/
// (api.js) and for doctor. Found as require('asherah') finds it, folder by folder: resolving
// asherah/package.json is refused by Node for 3.x, whose `exports` has only ".".

const fs = require('node:fs')
const path = require('node:path')

/** asherah's package folder as a require from `file` would find it, or undefined. */
function asherahFolder(file) {
  const folders = require('node:module').createRequire(file).resolve.paths('asherah') ?? []
  return folders.map((dir) => path.join(dir, 'asherah')).find((dir) => fs.existsSync(path.join(dir, 'package.json')))
}

module.exports = { asherahFolder }
