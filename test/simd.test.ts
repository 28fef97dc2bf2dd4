// Every SIMD kernel path this machine can run gives the scalar path's results: the selector is
// forced to each ISA in turn (native: avx512, avx2, sse2; WASM: simd128), in f32 and f64.
import test from 'ava'
import { Model, type ExplainOptions } from '../lib/index.js'
import type { Backend } from '../lib/backend/types.js'
import type { DType } from '../lib/model/types.js'
import { loadNativeBackend } from '../lib/backend/native.js'
import { loadWasmBackend } from '../lib/backend/wasm-node.js'
import { readModelFile } from '../lib/model/tensors.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { assertClose, maxAbs } from './helpers/compare.js'

const OPTIONS: ExplainOptions[] = [{ method: 'lrp', rule: 'all' }, { method: 'lrp', rule: 'prop', productEps: 0.2 }, { method: 'gradient-x-input' }]
// f32 kernels use their own exp/sigmoid/tanh (a few ulp) and FMA; f64 differs only in summation order.
const TOLERANCE: Record<DType, number> = { f32: 2e-5, f64: 1e-12 }

function supported(backend: Backend, levels: string[]): string[] {
  return levels.filter((level) => {
    try {
      backend.selectSimd(level)
      return true
    } catch {
      return false
    }
  })
}

const SETS: { name: string; load: () => Backend; levels: string[] }[] = [
  { name: 'native', load: loadNativeBackend, levels: ['avx512', 'avx2', 'sse2'] },
  { name: 'wasm', load: () => loadWasmBackend('simd'), levels: ['simd128'] },
]

for (const { name: backendName, load, levels } of SETS) {
  for (const dtype of ['f32', 'f64'] as DType[]) {
    test.serial(`${backendName} [${dtype}]: every supported SIMD level matches the scalar kernels`, async (t) => {
      const backend = load()
      const initial = backend.info().simd
      const available = supported(backend, levels)
      t.true(available.length > 0 || backendName === 'native', 'the SIMD build of WASM runs simd128')
      t.teardown(() => backend.selectSimd(initial))
      t.log(`${backendName}: ${available.join(', ')}`)
      for (const architecture of ['bidirectional, embedding (SST-like)', 'stacked uni, readout each', 'markov, readout each']) {
        const ref = randomRefModel(40, ARCHITECTURES[architecture])
        const file = readModelFile(refModelFile(ref, dtype))
        const model = new Model(file.config, dtype, file.tensors, backend)
        const inputs = [1, 5, 17].map((T, n) => (ref.embedding ? { tokens: Array.from({ length: T }, (_, k) => (k * 7 + n) % ref.embedding!.length) } : randomSequence(n, T, ref.inputSize)))
        const results = (level: string) => {
          backend.selectSimd(level)
          t.is(backend.info().simd, level)
          return OPTIONS.map((options) => inputs.map((input) => model.explain(input, options)))
        }
        const expected = results('scalar')
        for (const level of available) {
          results(level).forEach((perOption, o) =>
            perOption.forEach((explanation, n) => {
              const what = `${architecture}, ${level}, ${JSON.stringify(OPTIONS[o])}, input ${n}`
              assertClose(t, explanation.scores, expected[o][n].scores, TOLERANCE[dtype], `${what}: scores`)
              // Saturated cells: tanh is exactly 1 on one path and 1 − 2⁻²⁴ on another, so a gradient
              // of exactly 0 meets one of ~1e-8; an absolute floor keeps that from counting.
              const scale = Math.max(maxAbs(expected[o][n].relevance), 1e-3)
              assertClose(t, explanation.relevance, expected[o][n].relevance, TOLERANCE[dtype], `${what}: relevance`, scale)
            }),
          )
        }
        model.dispose()
      }
    })
  }
}

test('an unsupported SIMD level is refused with the supported ones named', (t) => {
  const error = t.throws(() => loadWasmBackend('plain').selectSimd('avx512'))
  t.regex(error!.message, /ISA 'avx512' is not available here; supported: scalar/)
})
