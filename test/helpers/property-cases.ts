// The random explain requests the property tests share: a model spec, a dtype, one sequence and
// options valid for it, and a model of the spec that is always disposed.
import fc from 'fast-check'
import type { ExplainOptions, Model, SequenceInput, Target } from '../../lib/index.js'
import type { DType } from '../../lib/model/types.js'
import { batchArb, explainOptionsArb, modelOf, modelSpecArb, sizedSequenceArb, targetArb, type Architecture, type ModelSpec } from './arbitraries.js'

export const dtypeArb = fc.constantFrom<DType>('f32', 'f64')

export interface ExplainCase {
  spec: ModelSpec
  dtype: DType
  steps: number
  input: SequenceInput
  options: ExplainOptions
}

export function explainCaseArb(optionsFor = (architecture: Architecture, steps: number) => explainOptionsArb(architecture, [steps])): fc.Arbitrary<ExplainCase> {
  return fc
    .tuple(modelSpecArb, dtypeArb)
    .chain(([spec, dtype]) => sizedSequenceArb(spec.architecture).chain(({ steps, input }) => optionsFor(spec.architecture, steps).map((options) => ({ spec, dtype, steps, input, options }))))
}

/** A batch request: a model spec, dtype and thread count, items with or without a target of their own, and options valid for all. */
export interface BatchCase {
  spec: ModelSpec
  dtype: DType
  threads: number
  items: { input: SequenceInput; target: Target | undefined }[]
  options: ExplainOptions
}

export const batchCaseArb: fc.Arbitrary<BatchCase> = fc.tuple(modelSpecArb, dtypeArb, fc.integer({ min: 1, max: 4 })).chain(([spec, dtype, threads]) =>
  batchArb(spec.architecture).chain((sequences) => {
    const lengths = sequences.map(({ steps }) => steps)
    const items = sequences.map(({ steps, input }) => fc.record({ input: fc.constant(input), target: fc.option(targetArb(spec.architecture, [steps]), { nil: undefined }) }))
    return fc.record({ spec: fc.constant(spec), dtype: fc.constant(dtype), threads: fc.constant(threads), items: fc.tuple(...items), options: explainOptionsArb(spec.architecture, lengths) })
  }),
)

/** The items as explainBatch takes them: those without a target bare, the others as { input, target }. */
export function batchItems(items: BatchCase['items']): (SequenceInput | { input: SequenceInput; target: Target })[] {
  return items.map(({ input, target }) => (target === undefined ? input : { input, target }))
}

/** Runs body on a fresh model of the case and always disposes it (WASM models live in one shared module). */
export async function withModel<T>(spec: ModelSpec, dtype: DType, body: (model: Model) => T | Promise<T>): Promise<T> {
  const model = await modelOf(spec, dtype)
  try {
    return await body(model)
  } finally {
    model.dispose()
  }
}
