// The benchmark's ONNX export (bench/onnx-export.ts) is the same model: onnxruntime's scores equal
// lstm-lrp's on SST-length sequences, one at a time and in padded batches, and our own importer reads
// the file back to the same weights.
import test from 'ava'
import { createModel, loadModel, type Model } from '../lib/index.js'
import { exportOnnx } from '../bench/onnx-export.js'
import { openSession, predictScores } from '../bench/ort-forward.js'
import { sstTestLengths } from '../bench/sst-lengths.js'
import { seededRandom } from '../lib/train/random.js'

const TOLERANCE = 1e-5
const SST = { inputSize: 60, embedding: { vocabSize: 20000 }, layers: [{ hiddenSize: 60, bidirectional: true }], head: { outputs: 5, bias: false } }
const FORWARD_WITH_BIAS = { inputSize: 8, embedding: { vocabSize: 50 }, layers: [{ hiddenSize: 6 }], head: { outputs: 3, bias: true } }
const STACKED = { inputSize: 7, embedding: { vocabSize: 40 }, layers: [{ hiddenSize: 5, bidirectional: true }, { hiddenSize: 4 }, { hiddenSize: 6, bidirectional: true }], head: { outputs: 2, bias: false } }

function sstSequences(count: number, vocabSize: number): number[][] {
  const random = seededRandom(7)
  const lengths = sstTestLengths()
  return Array.from({ length: count }, () => Array.from({ length: lengths[Math.floor(random() * lengths.length)] }, () => Math.floor(random() * vocabSize)))
}

function largestDifference(model: Model, sequences: number[][], ortScores: Float32Array): number {
  const outputs = model.config.head.outputs
  let largest = 0
  sequences.forEach((tokens, n) => {
    const { scores } = model.predict({ tokens })
    for (let k = 0; k < outputs; k++) largest = Math.max(largest, Math.abs(scores[k] - ortScores[n * outputs + k]))
  })
  return largest
}

for (const [name, config] of [
  ['SST-sized bidirectional', SST],
  ['forward, head bias', FORWARD_WITH_BIAS],
  ['three-layer', STACKED],
] as const) {
  test(`onnxruntime's scores of the exported ${name} model equal model.predict, one at a time and batched`, async (t) => {
    const model = await createModel(config, { seed: 3 })
    const session = await openSession(model.config, model.weights, 1)
    const sequences = sstSequences(200, config.embedding.vocabSize)
    const single = new Float32Array(sequences.length * config.head.outputs)
    for (const [n, tokens] of sequences.entries()) single.set(await predictScores(session, [tokens]), n * config.head.outputs)
    t.true(largestDifference(model, sequences, single) <= TOLERANCE)
    t.true(largestDifference(model, sequences, await predictScores(session, sequences)) <= TOLERANCE)
    t.true(new Set(sequences.map((tokens) => tokens.length)).size > 10, 'the batch mixes lengths, so padding is exercised')
    await session.release()
    model.dispose()
  })
}

for (const config of [SST, STACKED]) {
  test(`our ONNX importer reads the export of ${config.layers.length} layer(s) back to the same model`, async (t) => {
    const model = await createModel(config, { seed: 3 })
    const imported = await loadModel(exportOnnx(model.config, model.weights), { format: 'onnx' })
    t.deepEqual(imported.config.layers, model.config.layers)
    t.deepEqual(imported.config.head, model.config.head)
    t.deepEqual(imported.config.embedding, model.config.embedding)
    t.deepEqual(new Map(imported.weights), new Map(model.weights))
    for (const tokens of sstSequences(20, config.embedding.vocabSize)) t.deepEqual(imported.predict({ tokens }).scores, model.predict({ tokens }).scores)
    imported.dispose()
    model.dispose()
  })
}

test('exportOnnx refuses models the graph cannot express', async (t) => {
  const gateless = await createModel({ ...FORWARD_WITH_BIAS, layers: [{ hiddenSize: 4, cell: 'gateless' }] })
  t.throws(() => exportOnnx(gateless.config, gateless.weights), { message: /standard LSTM cells/ })
  gateless.dispose()
})
