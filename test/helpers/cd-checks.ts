// Contextual Decomposition through the public API against the float64 reference: one
// decomposition per step, and one per phrase, both conventions (LSTM and GRU suites alike).
import type { ExecutionContext } from 'ava'
import type { Model } from '../../lib/index.js'
import type { RefInput, RefModel } from '../reference/model.js'
import { refCd, refCdPerStep, type CdConvention } from '../reference/cd.js'
import { refForward, weightedSum } from '../reference/forward.js'
import { apiInput, explicitTarget, stepsOf, weightsFor } from './kernel-cases.js'
import { assertClose, maxAbs, near } from './compare.js'

export const CD_CONVENTIONS: CdConvention[] = ['reference', 'inclusive']

/** Per-step CD of every input (the first with the argmax target, the others with explicit ones) matches the reference. */
export function checkPerStepCd(t: ExecutionContext, ref: RefModel, model: Model, inputs: RefInput[], seed: number, tolerance: number): void {
  for (const [n, input] of inputs.entries()) {
    for (const convention of CD_CONVENTIONS) {
      const target = n === 0 ? undefined : explicitTarget(ref, stepsOf(input), seed + n)
      const got = model.explain(apiInput(input), { method: 'cd', cd: { convention }, target })
      const expected = refCdPerStep(ref, input, weightsFor(got, ref), convention)
      const what = `${convention}, T=${got.steps}`
      // Each decomposition's terms are of the size of the model's scores, whatever the size of their sum.
      const scale = Math.max(maxAbs(expected), maxAbs(got.scores))
      assertClose(t, got.perStep, expected, tolerance, `${what}: perStep`, scale)
      assertClose(
        t,
        got.relevance,
        expected.flatMap((v) => new Array<number>(got.features).fill(v / got.features)),
        tolerance,
        `${what}: relevance`,
        scale,
      )
      t.is(got.decomposition, null)
      t.is(got.conservation, null)
      t.is(got.completeness, null)
    }
  }
}

/** CD of each of `phrases(T)` of every input matches the reference: relevant, irrelevant, bias, score and the spread perStep. */
export function checkPhraseCd(t: ExecutionContext, ref: RefModel, model: Model, inputs: RefInput[], seed: number, tolerance: number, phrases: (T: number) => [number, number][]): void {
  for (const [n, input] of inputs.entries()) {
    for (const phrase of phrases(stepsOf(input))) {
      for (const convention of CD_CONVENTIONS) {
        const target = explicitTarget(ref, stepsOf(input), seed + n + phrase[0])
        const got = model.explain(apiInput(input), { method: 'cd', cd: { convention, phrase }, target })
        const weights = weightsFor(got, ref)
        const expected = refCd(ref, input, { phrase, convention, targetWeights: weights })
        const score = weightedSum(weights, refForward(ref, input).scores)
        const d = got.decomposition!
        const what = `[${phrase}) ${convention}, T=${got.steps}`
        const scale = Math.max(Math.abs(score), maxAbs(got.scores))
        near(t, d.relevant, expected.relevant, tolerance, scale, `${what}: relevant`)
        near(t, d.irrelevant, expected.irrelevant, tolerance, scale, `${what}: irrelevant`)
        near(t, d.bias, expected.bias, tolerance, scale, `${what}: bias`)
        near(t, d.score, score, tolerance, scale, `${what}: score`)
        const spread = Array.from({ length: got.steps }, (_, s) => (s >= phrase[0] && s < phrase[1] ? expected.relevant / (phrase[1] - phrase[0]) : 0))
        assertClose(t, got.perStep, spread, tolerance, `${what}: perStep`, scale)
      }
    }
  }
}
