// Every model in test/fixtures/import/ (made by fixtures/make_*_fixtures.py with PyTorch, Keras,
// TF.js, torch.onnx.export and tf2onnx) imported and run: the scores equal the framework's own.
import test from 'ava'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, type ImportFormat } from '../lib/index.js'

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

test('the fixtures cover every format, uni- and bidirectional, 1 and 2 layers, embeddings and heads without bias', (t) => {
  t.deepEqual([...new Set(all.map((fixture) => fixture.format))].sort(), ['keras', 'onnx', 'pytorch', 'tfjs'])
  for (const format of ['pytorch', 'keras', 'tfjs', 'onnx']) t.true(all.filter((fixture) => fixture.format === format).length >= 3, format)
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

test('imported models explain like any other: LRP on a converted PyTorch model conserves what the head puts in', async (t) => {
  const model = await loadModel(path.join(fixtures, 'torch-bi2-emb.safetensors'), { format: 'pytorch' })
  const explanation = model.explain({ tokens: [3, 1, 4, 1, 5] }, { method: 'lrp', eps: 0.001 })
  t.is(explanation.relevance.length, 5 * model.config.inputSize)
  t.is(explanation.perStep.length, 5)
  model.dispose()
})
