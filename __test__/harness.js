'use strict'
// One behaviour suite, two runners: `bun test` provides bun:test, `node --test` provides node:test.
// Test files take describe/it/hooks from here and assertions from node:assert, which both support.
const runner = process.versions.bun ? require('bun:test') : require('node:test')

module.exports = {
  describe: runner.describe,
  it: runner.it,
  before: runner.beforeAll || runner.before,
  after: runner.afterAll || runner.after,
}
