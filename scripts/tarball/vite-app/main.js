// A tiny app that imports the installed package by name: bundlers resolve its "browser" entry.
import { loadModel, backendInfo } from 'lstm-lrp'

const INPUT = [
  [-0.757, 0],
  [0, -0.578],
  [0.642, 0],
  [0.504, 0],
  [0, -0.569],
  [0.64, 0],
]

async function run() {
  const model = await loadModel(new URL('./toy-addition.safetensors', import.meta.url))
  const explanation = model.explain(INPUT, { method: 'lrp', rule: 'all', eps: 0.001 })
  return { info: backendInfo(), scores: Array.from(explanation.scores), perStep: Array.from(explanation.perStep) }
}

run().then(
  (result) => {
    window.tarballTest = result
    document.getElementById('out').textContent = JSON.stringify(result)
  },
  (error) => {
    window.tarballTest = { error: String(error && error.stack ? error.stack : error) }
  },
)
