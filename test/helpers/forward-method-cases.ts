// The kernel against the reference for what follows from the forward pass alone (predict, Gradient and
// Gradient × Input, Occlusion): the same tests for the LSTM architectures and the GRU ones.
import test from 'ava'
import type { DType } from '../../lib/model/types.js'
import { refForward } from '../reference/forward.js'
import { refGradientMethods } from '../reference/gradient.js'
import { refOcclusion } from '../reference/occlusion.js'
import { TOLERANCE, apiInput, explicitTarget, stepsOf, weightsFor, type Case } from './kernel-cases.js'
import { assertClose, maxAbs } from './compare.js'

/** Registers the tests of `name` [dtype]; setUp builds the model anew for each. */
export function forwardMethodTests(name: string, dtype: DType, archSeed: number, setUp: () => Promise<Case>): void {
  const tolerance = TOLERANCE[dtype]

  test(`${name} [${dtype}]: predict matches the reference forward pass`, async (t) => {
    const { ref, model, inputs } = await setUp()
    for (const input of inputs) assertClose(t, model.predict(apiInput(input)).scores, refForward(ref, input).scores.flat(), tolerance, 'scores')
    model.dispose()
  })

  test(`${name} [${dtype}]: Gradient and Gradient × Input match the reference`, async (t) => {
    const { ref, model, inputs } = await setUp()
    for (const [n, input] of inputs.entries()) {
      const target = explicitTarget(ref, stepsOf(input), archSeed + n)
      const gradient = model.explain(apiInput(input), { method: 'gradient', target })
      const gradientXInput = model.explain(apiInput(input), { method: 'gradient-x-input', target })
      const expected = refGradientMethods(ref, input, weightsFor(gradient, ref))
      assertClose(t, gradient.relevance, expected.gradient.flat(), tolerance, 'gradient')
      assertClose(t, gradientXInput.relevance, expected.gradientXInput.flat(), tolerance, 'gradient × input')
      assertClose(
        t,
        gradientXInput.perStep,
        expected.gradientXInput.map((row) => row.reduce((a, b) => a + b, 0)),
        tolerance,
        'gradient × input per step',
      )
      t.is(gradient.conservation, null)
    }
    model.dispose()
  })

  test(`${name} [${dtype}]: Occlusion matches the reference`, async (t) => {
    const { ref, model, inputs } = await setUp()
    const vector = Array.from({ length: ref.inputSize }, (_, i) => 0.25 - 0.1 * i)
    const replacements: ('zero' | 'delete' | number[])[] = ref.head.readout === 'last' ? ['zero', vector, 'delete'] : ['zero', vector]
    for (const input of inputs) {
      for (const replacement of replacements) {
        if (replacement === 'delete' && stepsOf(input) < 2) continue
        for (const score of ['logit', 'prob'] as const) {
          const got = model.explain(apiInput(input), { method: 'occlusion', occlusion: { score, replacement } })
          const expected = refOcclusion(ref, input, weightsFor(got, ref), { score, replacement })
          const what = `${score}, ${Array.isArray(replacement) ? 'vector' : replacement}, T=${got.steps}`
          // A difference of two scores: its error is bounded relative to the scores, not to the (possibly tiny) difference.
          const scale = Math.max(maxAbs(expected.perStep), score === 'prob' ? 1 : maxAbs(got.scores))
          assertClose(t, got.perStep, expected.perStep, tolerance, `${what}: perStep`, scale)
          assertClose(t, got.relevance, expected.relevance.flat(), tolerance, `${what}: relevance`, scale)
        }
      }
    }
    model.dispose()
  })
}
