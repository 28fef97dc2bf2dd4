// Native, WASM SIMD and plain WASM give the same explanations, and `auto` falls back to WASM
// when the native addon is missing.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Model, type ExplainOptions } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import type { DType } from '../lib/model/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { readModelFile } from '../lib/model/tensors.js'
import { randomRefModel, randomSequence, mulberry32 } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { assertClose, maxAbs } from './helpers/compare.js'
import { packageWithoutNative } from './helpers/package-without-native.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BACKENDS: Record<string, () => Backend> = {
  native: loadNativeBackend,
  'wasm-simd': () => loadWasmBackend('simd'),
  wasm: () => loadWasmBackend('plain'),
}
const TOLERANCE: Record<DType, number> = { f64: 1e-9, f32: 1e-4 }
const OPTIONS: ExplainOptions[] = [
  { method: 'lrp', rule: 'all' },
  { method: 'lrp', rules: { input: 'prop', forget: 'abs', output: 'half' }, eps: 0.0019, productEps: 0.2, biasFactor: 0.5 },
  { method: 'gradient' },
  { method: 'gradient-x-input' },
  { method: 'occlusion', occlusion: { score: 'prob' } },
]

function modelsOn(bytes: Uint8Array): Record<string, Model> {
  const file = readModelFile(bytes)
  return Object.fromEntries(Object.entries(BACKENDS).map(([name, load]) => [name, new Model(file.config, file.dtype, file.tensors, load())]))
}

test('the three backends report themselves; WASM batch calls default to a worker per core, up to 8', (t) => {
  t.is(BACKENDS.native().info().backend, 'native')
  const workers = Math.min(availableParallelism(), 8)
  t.deepEqual(BACKENDS['wasm-simd']().info(), { backend: 'wasm', simd: 'simd128', threads: workers })
  t.deepEqual(BACKENDS.wasm().info(), { backend: 'wasm', simd: 'scalar', threads: workers })
})

for (const [index, name] of Object.keys(ARCHITECTURES).entries()) {
  for (const dtype of ['f64', 'f32'] as DType[]) {
    test(`${name} [${dtype}]: native, WASM SIMD and plain WASM agree`, async (t) => {
      const ref = randomRefModel(500 + index, ARCHITECTURES[name])
      const models = modelsOn(refModelFile(ref, dtype))
      const next = mulberry32(index)
      const inputs = [1, 4, 11].map((T, n) => (ref.embedding ? { tokens: Array.from({ length: T }, () => Math.floor(next() * ref.embedding!.length)) } : randomSequence(index * 7 + n, T, ref.inputSize)))
      for (const options of OPTIONS) {
        const expected = await models.native.explainBatch(inputs, options)
        for (const backend of ['wasm-simd', 'wasm']) {
          const got = await models[backend].explainBatch(inputs, options)
          got.forEach((explanation, n) => {
            const what = `${backend}, ${JSON.stringify(options)}, input ${n}`
            assertClose(t, explanation.scores, expected[n].scores, TOLERANCE[dtype], `${what}: scores`)
            // Occlusion differences two scores: compare on the scale of the scores, not of the (possibly tiny) difference.
            const scale = options.method === 'occlusion' ? Math.max(maxAbs(expected[n].relevance), 1) : undefined
            assertClose(t, explanation.relevance, expected[n].relevance, TOLERANCE[dtype], `${what}: relevance`, scale)
            t.deepEqual(explanation.target, expected[n].target, what)
          })
        }
      }
      for (const model of Object.values(models)) model.dispose()
    })
  }
}

test("forcing native where the addon does not load is E_BACKEND naming the cause and the remedy: npm rebuild, or backend: 'wasm'", (t) => {
  const copy = packageWithoutNative(t, 'lstm-lrp-no-native-forced-')
  const script = `
    const { loadModel } = await import('./dist/index.js')
    await loadModel('${path.join(root, 'examples', 'toy-addition.safetensors')}', { backend: 'native' }).then(
      () => console.log('{}'),
      (error) => console.log(JSON.stringify({ code: error.code, message: error.message })))`
  const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: copy, encoding: 'utf8' }))
  t.is(output.code, 'E_BACKEND')
  const [first, reason, ...rest] = output.message.split('\n')
  t.is(first, 'no backend could be loaded (native):')
  t.regex(
    reason,
    /^ {2}native: the addon did not load \(No native build was found for platform=\S+ arch=\S+ .*\): rebuild it \(npm rebuild lstm-lrp, which compiles it with node-gyp: a C\+\+ compiler, make and Python\) or use backend: 'wasm'$/,
  )
  t.deepEqual(rest, [])
})

test('auto falls back to WASM when the native addon is missing, and says why', (t) => {
  const copy = packageWithoutNative(t, 'lstm-lrp-no-native-')
  const script = `
    const { backendInfo, loadModel } = await import('./dist/index.js')
    const model = await loadModel('${path.join(root, 'examples', 'toy-addition.safetensors')}')
    const e = model.explain([[0, 0.5], [0.7, 0], [0, 0.6]])
    console.log(JSON.stringify({ info: backendInfo(), model: model.backend, score: e.scores[0] }))`
  const env = { ...process.env }
  delete env.LSTM_LRP_BACKEND
  const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: copy, env, encoding: 'utf8' }))
  t.is(output.info.backend, 'wasm')
  t.is(output.info.simd, 'simd128')
  t.regex(output.info.skipped[0], /^native: /)
  t.is(output.model.backend, 'wasm')
  t.true(Math.abs(output.score - 1.1) < 0.05)
})
