// The random explain requests the property tests share: a model spec, a dtype, one sequence and
// options valid for it, and a model of the spec that is always disposed.
import fc from 'fast-check'
import type { ExplainOptions, Model, SequenceInput } from '../../lib/index.js'
import type { DType } from '../../lib/model/types.js'
import { explainOptionsArb, modelOf, modelSpecArb, sizedSequenceArb, type Architecture, type ModelSpec } from './arbitraries.js'

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

/** Runs body on a fresh model of the case and always disposes it (WASM models live in one shared module). */
export async function withModel<T>(spec: ModelSpec, dtype: DType, body: (model: Model) => T | Promise<T>): Promise<T> {
  const model = await modelOf(spec, dtype)
  try {
    return await body(model)
  } finally {
    model.dispose()
  }
}
