// The multi-pass methods run a sequence's passes together, in shares and in groups of as many
// as fit a fixed memory budget (occlusion's changed copies, each resuming where it parts from
// the original; integrated gradients' path points; CD's per-step decompositions); a lone
// sequence spreads its shares over the model's threads. Long inputs and many points make the
// passes of one sequence span several groups: against the float64 reference on every
// architecture, and bit for bit the same whatever the batch and the thread count.
import test from 'ava'
import { loadModel, type ExplainOptions, type Model } from '../lib/index.js'
import type { DType } from '../lib/model/types.js'
import { refOcclusion } from './reference/occlusion.js'
import { refIntegratedGradients } from './reference/integrated-gradients.js'
import { refCdPerStep } from './reference/cd.js'
import { mulberry32, randomRefModel, randomSequence } from './reference/random.js'
import type { RefInput, RefModel } from './reference/model.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { GRU_ARCHITECTURES } from './helpers/gru-architectures.js'
import { TOLERANCE, apiInput, weightsFor } from './helpers/kernel-cases.js'
import { assertClose, maxAbs } from './helpers/compare.js'
import { refModelFile } from './helpers/ref-to-file.js'

/** Long enough that a small model's copies or decompositions fill more than one group. */
const LONG = 100
const MANY_POINTS = 200

function longInput(ref: RefModel, seed: number, steps: number): RefInput {
  const next = mulberry32(seed)
  return ref.embedding ? { tokens: Array.from({ length: steps }, () => Math.floor(next() * ref.embedding!.length)) } : { x: randomSequence(seed, steps, ref.inputSize) }
}

let archSeed = 900
for (const name of Object.keys(ARCHITECTURES)) {
  archSeed += 10
  const seed = archSeed
  for (const dtype of ['f64', 'f32'] as DType[]) {
    const tolerance = TOLERANCE[dtype]

    test(`${name} [${dtype}]: occlusion of ${LONG} steps matches the reference (zero, vector, delete)`, async (t) => {
      const ref = randomRefModel(seed, ARCHITECTURES[name])
      const model = await loadModel(refModelFile(ref, dtype))
      const input = longInput(ref, seed, LONG)
      const vector = Array.from({ length: ref.inputSize }, (_, i) => 0.25 - 0.1 * i)
      const replacements: ('zero' | 'delete' | number[])[] = ref.head.readout === 'last' ? ['zero', vector, 'delete'] : ['zero', vector]
      for (const replacement of replacements) {
        const got = model.explain(apiInput(input), { method: 'occlusion', occlusion: { replacement } })
        const expected = refOcclusion(ref, input, weightsFor(got, ref), { score: 'logit', replacement })
        const scale = Math.max(maxAbs(expected.perStep), maxAbs(got.scores))
        assertClose(t, got.perStep, expected.perStep, tolerance, `${Array.isArray(replacement) ? 'vector' : replacement}: perStep`, scale)
      }
      model.dispose()
    })

    test(`${name} [${dtype}]: per-step CD of ${LONG} steps matches the reference`, async (t) => {
      const ref = randomRefModel(seed, ARCHITECTURES[name])
      const model = await loadModel(refModelFile(ref, dtype))
      const input = longInput(ref, seed + 1, LONG)
      const got = model.explain(apiInput(input), { method: 'cd', cd: { convention: 'inclusive' } })
      const expected = refCdPerStep(ref, input, weightsFor(got, ref), 'inclusive')
      assertClose(t, got.perStep, expected, tolerance, 'perStep', Math.max(maxAbs(expected), maxAbs(got.scores)))
      model.dispose()
    })

    test(`${name} [${dtype}]: integrated gradients at ${MANY_POINTS} points match the reference`, async (t) => {
      const ref = randomRefModel(seed, ARCHITECTURES[name])
      const model = await loadModel(refModelFile(ref, dtype))
      const input = longInput(ref, seed + 2, 40)
      const baseline = Array.from({ length: ref.inputSize }, (_, i) => 0.1 * i - 0.2)
      const got = model.explain(apiInput(input), { method: 'integrated-gradients', integratedGradients: { steps: MANY_POINTS, rule: 'gauss-legendre', baseline } })
      const expected = refIntegratedGradients(ref, input, weightsFor(got, ref), { steps: MANY_POINTS, rule: 'gauss-legendre', baseline })
      // Relative to the scores too: far from the readout a step's relevance can vanish.
      const scale = Math.max(maxAbs(expected.relevance.flat()), Math.abs(expected.difference), maxAbs(got.scores))
      assertClose(t, got.relevance, expected.relevance.flat(), tolerance, 'relevance', scale)
      t.true(Math.abs(got.completeness!.difference - expected.difference) <= tolerance * Math.max(maxAbs(got.scores), 1e-12), 'f(x) − f(baseline)')
      model.dispose()
    })
  }
}

// Through GRU layers too, the long sequence's decompositions run in shares and groups.
let gruSeed = 1900
for (const name of Object.keys(GRU_ARCHITECTURES)) {
  gruSeed += 10
  const seed = gruSeed
  for (const dtype of ['f64', 'f32'] as DType[])
    test(`${name} [${dtype}]: per-step CD of ${LONG} steps matches the reference`, async (t) => {
      const ref = randomRefModel(seed, GRU_ARCHITECTURES[name])
      const model = await loadModel(refModelFile(ref, dtype))
      const input = longInput(ref, seed + 1, LONG)
      const got = model.explain(apiInput(input), { method: 'cd', cd: { convention: 'inclusive' } })
      const expected = refCdPerStep(ref, input, weightsFor(got, ref), 'inclusive')
      assertClose(t, got.perStep, expected, TOLERANCE[dtype], 'perStep', Math.max(maxAbs(expected), maxAbs(got.scores)))
      model.dispose()
    })
}

const MULTI_PASS: [string, ExplainOptions][] = [
  ['occlusion', { method: 'occlusion' }],
  ['occlusion by deletion', { method: 'occlusion', occlusion: { replacement: 'delete' } }],
  ['per-step CD', { method: 'cd' }],
  ['integrated gradients', { method: 'integrated-gradients', integratedGradients: { steps: MANY_POINTS } }],
]

function bits(model: Model, input: RefInput, options: ExplainOptions): number[] {
  const got = model.explain(apiInput(input), options)
  return [...got.perStep, ...got.relevance, ...got.scores]
}

test('a multi-pass explanation is the same bit for bit on 1 and 2 threads and alone or in a batch', async (t) => {
  const ref = randomRefModel(77, ARCHITECTURES['stacked bidirectional, head bias'])
  const one = await loadModel(refModelFile(ref, 'f32'), { threads: 1 })
  const two = await loadModel(refModelFile(ref, 'f32'), { threads: 2 })
  const inputs = [3, LONG, 17].map((steps, n) => longInput(ref, 80 + n, steps))
  for (const [what, options] of MULTI_PASS) {
    const alone = inputs.map((input) => bits(one, input, options))
    inputs.forEach((input, n) => t.deepEqual(bits(two, input, options), alone[n], `${what}: 2 threads, input ${n}`))
    const batch = await two.explainBatch(inputs.map(apiInput), options)
    batch.forEach((got, n) => t.deepEqual([...got.perStep, ...got.relevance, ...got.scores], alone[n], `${what}: in a batch, input ${n}`))
  }
  one.dispose()
  two.dispose()
})
