// Used by the tarball tests inside a project that installed the packed lstm-lrp: checks which
// backend runs and that one explanation of the toy addition example equals its known value.
// check.cjs (require) and check.mjs (import) call it with the package they loaded.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const expected = JSON.parse(fs.readFileSync(path.join(__dirname, 'expected.json'), 'utf8'))

function close(got, want, tolerance) {
  return got.length === want.length && want.every((value, index) => Math.abs(got[index] - value) <= tolerance)
}

/** expect: 'native' or 'wasm'; kind: how the package was loaded (for the report). */
module.exports = async function verify(lstm, { expect, kind }) {
  const problems = []
  const info = lstm.backendInfo()
  if (info.backend !== expect) problems.push(`backendInfo().backend is ${info.backend}, expected ${expect}`)
  if (expect === 'native' && info.skipped) problems.push(`native backend reports skipped backends: ${info.skipped}`)
  if (expect === 'wasm' && !(info.skipped && /^native: /.test(info.skipped[0]))) problems.push(`WASM fallback does not say why native was skipped: ${JSON.stringify(info)}`)

  const model = await lstm.loadModel(path.join(__dirname, 'toy-addition.safetensors'))
  try {
    if (model.backend.backend !== expect) problems.push(`the model runs on ${model.backend.backend}`)
    const explanation = model.explain(expected.input, expected.options)
    const perStep = Array.from(explanation.perStep)
    if (!close(Array.from(explanation.scores), expected.scores, expected.tolerance)) problems.push(`scores ${Array.from(explanation.scores)} != ${expected.scores}`)
    if (!close(perStep, expected.perStep, expected.tolerance)) problems.push(`perStep ${perStep} != ${expected.perStep}`)
    // The relevance lands on the two marked steps (1 and 4) and nowhere else.
    if (!perStep.every((value, step) => (step === 1 || step === 4 ? value < -0.4 : value === 0))) problems.push(`relevance not on the marked steps: ${perStep}`)
    const batch = await model.explainBatch([expected.input, expected.input], expected.options)
    if (!batch.every((item) => close(Array.from(item.perStep), expected.perStep, expected.tolerance))) problems.push('explainBatch differs from explain')
    try {
      model.explain([[1, 2, 3]], expected.options)
      problems.push('a wrong-width input was accepted')
    } catch (error) {
      if (!(error instanceof lstm.LstmLrpError) || error.code !== 'E_INPUT') problems.push(`a wrong-width input threw ${error && error.code} ${error}`)
    }
  } finally {
    model.dispose()
  }
  console.log(JSON.stringify({ kind, arch: process.arch, node: process.version, info }))
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${kind}: ${problem}`)
    process.exitCode = 1
  }
}
