// require('lstm-lrp') from a CommonJS file; argument: the backend expected (native or wasm).
const verify = require('./verify.cjs')
verify(require('lstm-lrp'), { expect: process.argv[2], kind: 'require' }).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
