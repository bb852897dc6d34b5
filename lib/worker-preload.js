'use strict'
// What index.js puts first in the preload list of every Worker created after the package was required: the package's
// require in the worker (the signal repair from now on, the warmup). Its error is the main thread's own, which the app
// caught and carried on from, so it must not keep the worker from starting: what repair it could make is made before it throws.
try {
  require('../index.js')
} catch {}
