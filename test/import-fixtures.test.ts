// Every model in test/fixtures/import/ (made by fixtures/make_*_fixtures.py with PyTorch, Keras,
// TF.js, torch.onnx.export and tf2onnx) imported and run: the scores equal the framework's own.
import test from 'ava'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { importModel, loadModel, type ImportFormat } from '../lib/index.js'
import { readSafetensors } from '../lib/model/safetensors.js'
import type { Tensor } from '../lib/model/types.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import')
const TOLERANCE = 1e-5

interface Case {
  x?: number[][]
  tokens?: number[]
  scores: number[] | number[][]
}

interface Fixture {
  format: ImportFormat
  file: string
  hint: Record<string, unknown>
  /** What the framework's output is: the head's scores, or their softmax (a Keras Dense with activation="softmax"). */
  outputs?: 'scores' | 'probabilities'
  cases: Case[]
}

function manifest(name: string): Fixture[] {
  return (JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as { fixtures: Fixture[] }).fixtures
}

const all = [...manifest('torch.json'), ...manifest('keras.json')]

test('the fixtures cover every format, uni- and bidirectional, 1 and 2 layers, embeddings and heads without bias, LSTMs, GRUs and mixed stacks', (t) => {
  t.deepEqual([...new Set(all.map((fixture) => fixture.format))].sort(), ['keras', 'onnx', 'pytorch', 'tfjs'])
  for (const format of ['pytorch', 'keras', 'tfjs', 'onnx']) {
    t.true(all.filter((fixture) => fixture.format === format).length >= 3, format)
    t.true(all.filter((fixture) => fixture.format === format && /gru/.test(fixture.file)).length >= 2, `${format} GRUs`)
    t.true(
      all.some((fixture) => fixture.format === format && /mixed|lstm-gru/.test(fixture.file)),
      `${format} mixed stack`,
    )
  }
})

for (const fixture of all) {
  test(`${fixture.format} ${fixture.file}: scores equal the framework's within ${TOLERANCE}`, async (t) => {
    const model = await loadModel(path.join(fixtures, fixture.file), { format: fixture.format, hint: fixture.hint })
    try {
      for (const [index, sample] of fixture.cases.entries()) {
        const prediction = model.predict(sample.tokens ? { tokens: sample.tokens } : (sample.x as number[][]))
        const actual = fixture.outputs === 'probabilities' ? prediction.probabilities : prediction.scores
        const expected = sample.scores.flat()
        t.truthy(actual, 'probabilities exist')
        t.is(actual!.length, expected.length, `case ${index}: output length`)
        expected.forEach((value, k) => {
          const error = Math.abs(actual![k] - value)
          t.true(error <= TOLERANCE * Math.max(1, Math.abs(value)), `case ${index}, output ${k}: got ${actual![k]}, framework ${value}`)
        })
      }
      if (fixture.hint.labels) t.deepEqual(model.config.labels, fixture.hint.labels)
    } finally {
      model.dispose()
    }
  })
}

test('readouts are read off the source: return_sequences and per-step heads give "each", h_n heads "last"', async (t) => {
  const readout = async (file: string, format: ImportFormat, hint = {}): Promise<string> => {
    const model = await loadModel(path.join(fixtures, file), { format, hint })
    model.dispose()
    return model.config.head.readout
  }
  t.is(await readout('torch-bi2-emb.onnx', 'onnx'), 'last')
  t.is(await readout('torch-bi-each.onnx', 'onnx'), 'each')
  t.is(await readout('keras-each-nobias.keras', 'keras'), 'each')
  t.is(await readout('keras-each-nobias-tfjs/model.json', 'tfjs'), 'each')
  t.is(await readout('keras-each-nobias-tf2onnx.onnx', 'onnx'), 'each')
})

const range = (data: ArrayLike<number>, start: number, end: number): number[] => Array.from(data).slice(start, end)

function tensorOf(tensors: Map<string, Tensor>, name: string): number[] {
  const tensor = tensors.get(name)
  if (tensor === undefined) throw new Error(`no tensor ${name}`)
  return Array.from(tensor.data)
}

test('a PyTorch nn.GRU imports as a GRU cell resetting after: W and U as stored (r, z, n), b_r and b_u summed, b_hn apart', async (t) => {
  const source = readSafetensors(new Uint8Array(readFileSync(path.join(fixtures, 'torch-gru.safetensors')))).tensors
  const { config, tensors } = await importModel(path.join(fixtures, 'torch-gru.safetensors'), 'pytorch')
  t.deepEqual(config.layers[0].cell as unknown, { type: 'gru', resetAfter: true })
  const H = 4
  const [ih, hh] = [tensorOf(source, 'gru.bias_ih_l0'), tensorOf(source, 'gru.bias_hh_l0')]
  t.deepEqual(tensors.get('layers.0.fwd.W')?.shape, [3 * H, 3])
  t.deepEqual(tensorOf(tensors, 'layers.0.fwd.W'), tensorOf(source, 'gru.weight_ih_l0'))
  t.deepEqual(tensorOf(tensors, 'layers.0.fwd.U'), tensorOf(source, 'gru.weight_hh_l0'))
  const b = tensorOf(tensors, 'layers.0.fwd.b')
  for (let k = 0; k < 2 * H; k++) t.is(b[k], Math.fround(ih[k] + hh[k]))
  t.deepEqual(range(b, 2 * H, 3 * H), range(ih, 2 * H, 3 * H))
  t.deepEqual(tensorOf(tensors, 'layers.0.fwd.b_hn'), range(hh, 2 * H, 3 * H))
})

test('an ONNX GRU with linear_before_reset = 0 imports resetting before, the candidate biases summed and no b_hn', async (t) => {
  // torch-gru-reset-before.onnx is torch-gru.onnx with the attribute switched: the weights are torch-gru.safetensors'.
  const source = readSafetensors(new Uint8Array(readFileSync(path.join(fixtures, 'torch-gru.safetensors')))).tensors
  const { config, tensors } = await importModel(path.join(fixtures, 'torch-gru-reset-before.onnx'), 'onnx')
  t.deepEqual(config.layers[0].cell as unknown, { type: 'gru', resetAfter: false })
  const H = 4
  t.false(tensors.has('layers.0.fwd.b_hn'))
  const [ih, hh] = [tensorOf(source, 'gru.bias_ih_l0'), tensorOf(source, 'gru.bias_hh_l0')]
  const b = tensorOf(tensors, 'layers.0.fwd.b')
  for (let k = 0; k < 3 * H; k++) t.true(Math.abs(b[k] - (ih[k] + hh[k])) <= 1e-6, `b[${k}]`)
  t.deepEqual(tensorOf(tensors, 'layers.0.fwd.W'), tensorOf(source, 'gru.weight_ih_l0'))
})

test('Keras GRUs: reset_after, Bidirectional and mixed GRU/LSTM stacks read off the layer config', async (t) => {
  const cells = async (file: string, format: ImportFormat): Promise<unknown[]> => (await importModel(path.join(fixtures, file), format)).config.layers.map((layer) => layer.cell)
  for (const [file, format] of [
    ['keras-gru.keras', 'keras'],
    ['keras-gru-tfjs/model.json', 'tfjs'],
    ['keras-gru-tf2onnx.onnx', 'onnx'],
  ] as const) {
    t.deepEqual(await cells(file, format), [{ type: 'gru', resetAfter: true }], file)
  }
  const before = await importModel(path.join(fixtures, 'keras-gru-before-bi.keras'), 'keras')
  t.deepEqual(before.config.layers[0].cell as unknown, { type: 'gru', resetAfter: false })
  t.true(before.config.layers[0].bidirectional)
  t.deepEqual([...before.tensors.keys()].filter((name) => name.startsWith('layers.')).sort(), ['layers.0.bwd.U', 'layers.0.bwd.W', 'layers.0.bwd.b', 'layers.0.fwd.U', 'layers.0.fwd.W', 'layers.0.fwd.b'])
  const [gru, lstm] = await cells('keras-mixed-emb.keras', 'keras')
  t.deepEqual(gru, { type: 'gru', resetAfter: true })
  t.is((lstm as { preset?: string }).preset, 'standard')
})

test('a Keras GRU resetting after: the kernel [I, 3H] (z, r, h) transposed into r, u, n, and the bias rows [input; recurrent] folded', async (t) => {
  // The raw float32 weights of the TF.js files, read here straight from the shard in manifest order.
  const folder = path.join(fixtures, 'keras-gru-tfjs')
  const manifest = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')).weightsManifest[0] as { paths: string[]; weights: { name: string; shape: number[] }[] }
  const shard = readFileSync(path.join(folder, manifest.paths[0]))
  const floats = new Float32Array(shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength))
  const raw = new Map<string, number[]>()
  let offset = 0
  for (const weight of manifest.weights) {
    const length = weight.shape.reduce((product, size) => product * size, 1)
    raw.set(weight.name.split('/').at(-1)!, Array.from(floats.subarray(offset, offset + length)))
    offset += length
  }
  const H = 4
  const I = 3
  const kernel = raw.get('kernel')!
  const bias = raw.get('bias')!
  const sourceBlock = { r: 1, u: 0, n: 2 }
  for (const format of ['tfjs', 'keras'] as const) {
    const { tensors } = await importModel(path.join(fixtures, format === 'tfjs' ? 'keras-gru-tfjs/model.json' : 'keras-gru.keras'), format)
    const W = tensorOf(tensors, 'layers.0.fwd.W')
    const b = tensorOf(tensors, 'layers.0.fwd.b')
    ;(['r', 'u', 'n'] as const).forEach((block, target) => {
      for (let unit = 0; unit < H; unit++) {
        const column = sourceBlock[block] * H + unit
        for (let input = 0; input < I; input++) t.is(W[(target * H + unit) * I + input], kernel[input * 3 * H + column], `${format} W ${block}`)
        const expected = block === 'n' ? bias[column] : Math.fround(bias[column] + bias[3 * H + column])
        t.is(b[target * H + unit], expected, `${format} b ${block}`)
      }
    })
    t.deepEqual(tensorOf(tensors, 'layers.0.fwd.b_hn'), range(bias, 3 * H + 2 * H, 6 * H), `${format} b_hn`)
  }
})

test('imported models explain like any other: LRP on a converted PyTorch model conserves what the head puts in', async (t) => {
  const model = await loadModel(path.join(fixtures, 'torch-bi2-emb.safetensors'), { format: 'pytorch' })
  const explanation = model.explain({ tokens: [3, 1, 4, 1, 5] }, { method: 'lrp', eps: 0.001 })
  t.is(explanation.relevance.length, 5 * model.config.inputSize)
  t.is(explanation.perStep.length, 5)
  model.dispose()
})

test('imported GRUs explain like any other: LRP on a converted bidirectional 2-layer PyTorch GRU', async (t) => {
  const model = await loadModel(path.join(fixtures, 'torch-gru-bi2-emb.safetensors'), { format: 'pytorch' })
  const explanation = model.explain({ tokens: [3, 1, 4, 1, 5] }, { method: 'lrp', eps: 0.001 })
  t.is(explanation.relevance.length, 5 * model.config.inputSize)
  t.is(explanation.perStep.length, 5)
  model.dispose()
})
