// fast-check generators for the property tests: small model architectures as createModel takes
// them, sequences for a model, and explain options that are valid for a model and the lengths of
// the sequences they will be used with.
import fc from 'fast-check'
import { createModel, type ExplainOptions, type Model, type SequenceInput, type Target } from '../../lib/index.js'
import type { DType } from '../../lib/model/types.js'

export interface Architecture {
  inputSize: number
  embedding?: { vocabSize: number }
  layers: { hiddenSize: number; bidirectional: boolean; cell: string | Record<string, unknown> }[]
  head: { outputs: number; bias: boolean; readout: 'last' | 'each' }
  task: 'classification' | 'regression'
}

export interface ModelSpec {
  architecture: Architecture
  seed: number
  /** Layer biases per gate block, never near 0: an exactly zero pre-activation would make eps 0 absorb relevance. */
  biases: { z: number; i: number; f: number; o: number }
  /** Weight scale of the initialisation. */
  scale: number
}

const presetArb = fc.constantFrom('standard', 'lrp-nondecreasing', 'markov', 'gateless')
const connectionArb = fc.record({ input: fc.boolean(), recurrent: fc.boolean() })
const scaleArb = fc.double({ min: 0.25, max: 3, noNaN: true })

/** A preset, or a preset with any of its activations, gates and connections overridden (Sec. 11.4). */
const cellArb = fc.oneof(
  { arbitrary: presetArb, weight: 3 },
  {
    arbitrary: fc.record(
      {
        preset: presetArb,
        g: fc.constantFrom('tanh', 'sigmoid', 'relu', 'identity'),
        gScale: scaleArb,
        h: fc.constantFrom('tanh', 'identity'),
        hScale: scaleArb,
        gates: fc.record({ i: fc.boolean(), f: fc.boolean(), o: fc.boolean() }, { requiredKeys: [] }),
        connections: fc.record({ z: connectionArb, i: connectionArb, f: connectionArb, o: connectionArb }, { requiredKeys: [] }),
      },
      { requiredKeys: ['preset'] },
    ),
    weight: 1,
  },
)

export const architectureArb: fc.Arbitrary<Architecture> = fc.record(
  {
    inputSize: fc.integer({ min: 1, max: 4 }),
    embedding: fc.record({ vocabSize: fc.integer({ min: 2, max: 12 }) }),
    layers: fc.array(fc.record({ hiddenSize: fc.integer({ min: 1, max: 4 }), bidirectional: fc.boolean(), cell: cellArb }), { minLength: 1, maxLength: 2 }),
    head: fc.record({ outputs: fc.integer({ min: 1, max: 3 }), bias: fc.boolean(), readout: fc.constantFrom('last' as const, 'each' as const) }),
    task: fc.constantFrom('classification' as const, 'regression' as const),
  },
  { requiredKeys: ['inputSize', 'layers', 'head', 'task'] },
)

const biasArb = fc.oneof(fc.double({ min: -1, max: -0.05, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }))

export const modelSpecArb: fc.Arbitrary<ModelSpec> = fc.record({
  architecture: architectureArb,
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  biases: fc.record({ z: biasArb, i: biasArb, f: biasArb, o: biasArb }),
  scale: fc.double({ min: 0.3, max: 2, noNaN: true }),
})

/** threads: how many batch calls run at once (default: the backend's). */
export function modelOf(spec: ModelSpec, dtype: DType, threads?: number): Promise<Model> {
  return createModel(spec.architecture, { dtype, threads, seed: spec.seed, init: { biases: spec.biases, scale: spec.scale } })
}

/** Score rows of a sequence of `steps` steps: one for readout `last`, one per step for `each`. */
export function scoreRows(architecture: Architecture, steps: number): number {
  return architecture.head.readout === 'last' ? 1 : steps
}

const lengthArb = fc.integer({ min: 1, max: 6 })
const valueArb = fc.double({ min: -2, max: 2, noNaN: true })
const weightArb = fc.double({ min: -1, max: 1, noNaN: true })
/** Weights that float32 holds to full precision: 0, or a magnitude of at least 0.05. */
const moderateWeightArb = fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: -1, max: -0.05, noNaN: true }))

function vectorArb(length: number, weight = weightArb): fc.Arbitrary<number[]> {
  return fc.array(weight, { minLength: length, maxLength: length })
}

/** Token ids, or input vectors in any of their three forms: a batch may not mix the two kinds. */
export type InputKind = 'vectors' | 'tokens'

export function inputKindArb(architecture: Architecture): fc.Arbitrary<InputKind> {
  return architecture.embedding ? fc.constantFrom('vectors' as const, 'tokens' as const) : fc.constant('vectors' as const)
}

/** One sequence of `steps` steps of the given kind. */
export function sequenceArb(architecture: Architecture, steps: number, kind: InputKind): fc.Arbitrary<SequenceInput> {
  const vocabSize = architecture.embedding?.vocabSize
  if (kind === 'tokens' && vocabSize !== undefined) return fc.array(fc.integer({ min: 0, max: vocabSize - 1 }), { minLength: steps, maxLength: steps }).map((tokens) => ({ tokens }))
  const width = architecture.inputSize
  const rows = fc.array(fc.array(valueArb, { minLength: width, maxLength: width }), { minLength: steps, maxLength: steps })
  return fc.oneof(
    rows,
    rows.map((values) => ({ data: Float64Array.from(values.flat()), steps })),
    rows.map((values) => ({ data: Float32Array.from(values.flat()), steps })),
  )
}

/** A sequence of random length and kind, with its length. */
export function sizedSequenceArb(architecture: Architecture): fc.Arbitrary<{ steps: number; input: SequenceInput }> {
  return fc.tuple(lengthArb, inputKindArb(architecture)).chain(([steps, kind]) => sequenceArb(architecture, steps, kind).map((input) => ({ steps, input })))
}

/** Sequences of random lengths, all of one kind, as a batch. */
export function batchArb(architecture: Architecture): fc.Arbitrary<{ steps: number; input: SequenceInput }[]> {
  return inputKindArb(architecture).chain((kind) =>
    fc.array(
      lengthArb.chain((steps) => sequenceArb(architecture, steps, kind).map((input) => ({ steps, input }))),
      { minLength: 1, maxLength: 6 },
    ),
  )
}

/** Weights over the score rows shared by every length in `lengths`, or none when their row counts differ. */
function rowWeightsArb(architecture: Architecture, lengths: number[], weight = weightArb): fc.Arbitrary<number[]>[] {
  const rows = new Set(lengths.map((steps) => scoreRows(architecture, steps)))
  if (rows.size !== 1) return []
  return [vectorArb([...rows][0] * architecture.head.outputs, weight)]
}

/** A target valid for every sequence length in `lengths`. */
export function targetArb(architecture: Architecture, lengths: number[], weight = weightArb): fc.Arbitrary<Target> {
  const { outputs, readout } = architecture.head
  const cls = fc.integer({ min: 0, max: outputs - 1 })
  const targets: fc.Arbitrary<Target>[] = [cls, ...rowWeightsArb(architecture, lengths, weight).map((weights) => weights.map((w) => ({ weights: w })))]
  if (readout === 'each') targets.push(fc.tuple(fc.integer({ min: 0, max: Math.min(...lengths) - 1 }), cls))
  return fc.oneof(...targets)
}

const METHODS = ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients'] as const
export const RULES = ['all', 'prop', 'abs', 'half'] as const

const ruleArb = fc.constantFrom(...RULES)
/** Stabilisers: exactly 0, tiny, the paper's values, and anything in between. */
const epsArb = fc.oneof(fc.constantFrom(0, 1e-9, 0.001, 0.0019, 0.01, 0.2, 1), fc.double({ min: 0, max: 2, noNaN: true }))

/**
 * Everything every method accepts for these lengths. `wellConditioned` keeps both stabilisers at
 * 0.01 or more and every weight at 0 or a magnitude of 0.05 or more, so that float32 rounding is
 * neither amplified by a tiny denominator nor lost below float32's range.
 */
export function explainOptionsArb(architecture: Architecture, lengths: number[], { wellConditioned = false } = {}): fc.Arbitrary<ExplainOptions> {
  const width = architecture.inputSize
  const shortest = Math.min(...lengths)
  const eps = wellConditioned ? epsArb.filter((value) => value >= 0.01) : epsArb
  const weight = wellConditioned ? moderateWeightArb : weightArb
  // Deleting a step needs two steps and readout `last`: the kernel refuses it otherwise (E_KERNEL).
  const replacements: fc.Arbitrary<'zero' | 'delete' | number[]>[] = [fc.constant('zero' as const), vectorArb(width, weight)]
  if (architecture.head.readout === 'last' && shortest >= 2) replacements.push(fc.constant('delete' as const))
  const phrase = fc.tuple(fc.integer({ min: 0, max: shortest - 1 }), fc.integer({ min: 1, max: shortest })).map(([a, b]): [number, number] => (a < b ? [a, b] : [b - 1, a + 1]))
  return fc.record(
    {
      method: fc.constantFrom(...METHODS),
      target: targetArb(architecture, lengths, weight),
      rule: ruleArb,
      rules: fc.record({ input: ruleArb, forget: ruleArb, output: ruleArb }, { requiredKeys: [] }),
      eps,
      productEps: fc.oneof(eps, fc.record({ input: eps, forget: eps, output: eps }, { requiredKeys: [] })),
      biasFactor: fc.double({ min: 0, max: 1, noNaN: true }),
      init: fc.oneof(fc.constantFrom('logit' as const, 'one' as const), ...rowWeightsArb(architecture, lengths, weight)),
      occlusion: fc.record({ score: fc.constantFrom('logit' as const, 'prob' as const), replacement: fc.oneof(...replacements) }, { requiredKeys: [] }),
      cd: fc.record({ convention: fc.constantFrom('reference' as const, 'inclusive' as const), phrase }, { requiredKeys: [] }),
      integratedGradients: fc.record(
        {
          steps: fc.integer({ min: 1, max: 12 }),
          rule: fc.constantFrom('midpoint' as const, 'gauss-legendre' as const),
          baseline: fc.oneof(fc.constant('zero' as const), vectorArb(width, weight)),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
}
