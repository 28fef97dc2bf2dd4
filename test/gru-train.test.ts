// Training GRU layers (docs/METHODS.md § Training, § GRU layers): parameter gradients against central finite
// differences for every GRU architecture (both reset modes, bi-GRU with embedding, stacks mixing GRU and LSTM),
// native against WASM, the optimisers' step on every tensor including b_hn, the paper's toy addition task and the CLI.
import test from 'ava'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, loadModel, Model, type LossName } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { relevanceStatistics } from '../lib/reproduce/fidelity/statistics.js'
import { randomRefModel } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { assertBatchIsWeightedSum, assertFiniteDifferenceGradients, itemsFor } from './helpers/gradient-checks.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { toyArithmetic } from './helpers/tasks.js'
import { runCli } from './helpers/run-cli.js'

for (const [index, name] of Object.keys(GRU_ARCHITECTURES).entries()) {
  for (const loss of ['mse', 'cross-entropy'] as LossName[]) {
    test(`${name}, ${loss}: parameter gradients of every tensor match central finite differences (f64)`, async (t) => {
      const model = await loadModel(refModelFile(randomRefModel(900 + index, GRU_ARCHITECTURES[name]), 'f64'))
      assertFiniteDifferenceGradients(t, model, itemsFor(model, loss, index), loss, index)
      model.dispose()
    })
  }
}

test('a batch of variable-length sequences through a mixed stack has the gradient of its sequences, weighted by their score rows', async (t) => {
  const model = await loadModel(refModelFile(randomRefModel(41, GRU_ARCHITECTURES['LSTM over GRU, readout each']), 'f64'))
  assertBatchIsWeightedSum(t, model, itemsFor(model, 'mse', 5))
  model.dispose()
})

const BACKENDS: { name: string; load: () => Backend | Promise<Backend> }[] = [
  { name: 'native', load: loadNativeBackend },
  { name: 'wasm', load: () => loadWasmBackend('simd') },
]

for (const dtype of ['f32', 'f64'] as const) {
  test(`native and WASM give the same GRU gradients and training steps (${dtype})`, async (t) => {
    const tolerance = dtype === 'f32' ? 1e-5 : 1e-12
    for (const name of ['bi-GRU, embedding', 'bi-GRU reset before U_n, readout each', 'GRU reset before over LSTM']) {
      const file = refModelFile(randomRefModel(60, GRU_ARCHITECTURES[name]), dtype)
      const results = await Promise.all(
        BACKENDS.map(async ({ load }) => {
          const backend = await load()
          const parsed = await loadModel(file)
          const model = new Model(parsed.config, dtype, new Map(parsed.weights), backend)
          parsed.dispose()
          const items = itemsFor(model, 'cross-entropy', 3)
          const { loss, gradients } = model.gradients(items, { loss: 'cross-entropy' })
          await model.train(items, { loss: 'cross-entropy', epochs: 3, batchSize: 2, seed: 1, lr: 0.05 })
          const trained = new Map(model.weights)
          model.dispose()
          return { loss, gradients, trained }
        }),
      )
      const [native, wasm] = results
      t.true(Math.abs(native.loss - wasm.loss) <= tolerance * Math.max(1, Math.abs(native.loss)), `${name}: loss`)
      for (const [what, ours, theirs] of [
        ['gradient', native.gradients, wasm.gradients],
        ['trained weight', native.trained, wasm.trained],
      ] as const)
        for (const [tensorName, tensor] of ours) {
          const other = theirs.get(tensorName)!.data
          const scale = Math.max(1, ...Array.from(tensor.data, Math.abs))
          const worst = Math.max(...Array.from(tensor.data, (value, k) => Math.abs(value - other[k])))
          t.true(worst <= 10 * tolerance * scale, `${name}: ${what} ${tensorName} differs by ${worst}`)
        }
    }
  })
}

// With epsilon 1 the first step of Adam and of AdaGrad are both w - lr·g / (|g| + 1), g the decayed and clipped gradient.
for (const optimizer of ['adam', 'adagrad'] as const) {
  test(`${optimizer}: one step updates every GRU tensor, b_hn included, from the decayed and clipped gradient`, async (t) => {
    const model = await loadModel(refModelFile(randomRefModel(77, GRU_ARCHITECTURES['stacked GRU (bi over uni), head bias']), 'f64'))
    const items = itemsFor(model, 'mse', 9)
    const before = new Map([...model.weights].map(([tensorName, tensor]) => [tensorName, Float64Array.from(tensor.data)]))
    const { gradients } = model.gradients(items, { loss: 'mse' })
    const lr = 0.1
    const weightDecay = 0.3
    const decayed = new Map([...gradients].map(([tensorName, g]) => [tensorName, Array.from(g.data, (value, k) => value + weightDecay * before.get(tensorName)![k])]))
    const norm = Math.sqrt([...decayed.values()].flat().reduce((sum, value) => sum + value * value, 0))
    const clipNorm = norm / 2
    await model.train(items, { loss: 'mse', optimizer, epochs: 1, batchSize: items.length, lr, epsilon: 1, weightDecay, clipNorm, seed: 2 })
    t.true([...before.keys()].some((tensorName) => tensorName.endsWith('.b_hn')))
    for (const [tensorName, old] of before) {
      const after = model.weights.get(tensorName)!.data
      old.forEach((w, k) => {
        const g = (decayed.get(tensorName)![k] * clipNorm) / norm
        const expected = w - (lr * g) / (Math.abs(g) + 1)
        t.true(Math.abs(after[k] - expected) < 1e-10, `${tensorName}[${k}]: ${after[k]}, expected ${expected}`)
      })
    }
    model.dispose()
  })
}

test('a two-unit GRU learns the toy addition task to validation MSE < 1e-4, and LRP-all puts its relevance on the two marked steps', async (t) => {
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 2, cell: { type: 'gru' } }], head: { outputs: 1, bias: false }, task: 'regression' }, { seed: 1 })
  const report = await model.train(toyArithmetic('addition', 3000, 4, 10, 1), {
    epochs: 100,
    batchSize: 16,
    lr: 0.01,
    seed: 1,
    validation: toyArithmetic('addition', 500, 11, 12, 2),
    stopAtLoss: 1e-4,
  })
  t.true(report.best!.validation!.loss < 1e-4, `validation MSE ${report.best!.validation!.loss} after ${report.epochs} epochs`)
  const testItems = toyArithmetic('addition', 300, 13, 14, 3)
  const evaluation = await model.evaluate(testItems)
  t.true(evaluation.loss < 2e-4, `test MSE ${evaluation.loss}`)
  const explanations = await model.explainBatch(
    testItems.map((item) => item.input),
    { method: 'lrp', rule: 'all', target: 0 },
  )
  const { rhoA, rhoB, share } = relevanceStatistics(
    testItems,
    explanations.map((explanation) => explanation.perStep),
  )
  t.true(share > 0.9, `relevance share on the marked steps ${share}`)
  t.true(rhoA > 0.95 && rhoB > 0.95, `ρ(n_a, R_a) ${rhoA}, ρ(n_b, R_b) ${rhoB}`)
  model.dispose()
})

test('lstm-lrp train trains a bi-GRU under an LSTM and saves its GRU tensors', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-gru-train-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const items = toyArithmetic('addition', 200, 4, 8, 1)
  writeFileSync(path.join(work, 'train.jsonl'), items.map((item) => JSON.stringify({ x: item.input, y: item.target })).join('\n') + '\n')
  const config = { inputSize: 2, layers: [{ hiddenSize: 2, bidirectional: true, cell: { type: 'gru' } }, { hiddenSize: 2 }], head: { outputs: 1 }, task: 'regression' }
  writeFileSync(path.join(work, 'config.json'), JSON.stringify(config))
  const out = path.join(work, 'model.safetensors')
  const result = await runCli(['train', '--config', path.join(work, 'config.json'), '--data', path.join(work, 'train.jsonl'), '--out', out, '--epochs', '2', '--seed', '3'])
  t.is(result.code, 0, result.stderr)
  const model = await loadModel(readFileSync(out))
  t.deepEqual(model.config.layers[0].cell, { type: 'gru', resetAfter: true })
  t.true(
    model.weights.get('layers.0.bwd.b_hn')!.data.some((value) => value !== 0),
    'b_hn starts at zero and has been trained',
  )
  model.dispose()
})
