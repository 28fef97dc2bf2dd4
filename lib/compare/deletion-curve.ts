/** An input's deletion curve for one explanation, and its area over the perturbation curve (docs/METHODS.md § Comparing methods). */
import type { Model } from '../model/model.js'
import type { ResolvedTarget, SequenceInput } from '../explain/types.js'
import { relevanceOrder, removableSteps, StepRemover, type Removal } from './removal.js'

/** The explained score f = Σ w ⊙ scores in one prediction's score rows: a class of the last row, a [step, class] pair's row, or weights over every row. */
export function targetScore(scores: ArrayLike<number>, target: ResolvedTarget, outputs: number): number {
  if (typeof target === 'number') return scores[scores.length - outputs + target]
  if (Array.isArray(target)) return scores[target[0] * outputs + target[1]]
  return target.weights.reduce((sum, weight, n) => sum + weight * scores[n], 0)
}

/**
 * The target's score after removing the k most relevant steps, k = 0..K with K = min(maxRemovals,
 * removable steps): all K + 1 copies are predicted in one batch. Relevance ties go in step order.
 */
export function deletionCurve(model: Model, input: SequenceInput, perStep: ArrayLike<number>, target: ResolvedTarget, removal: Removal, maxRemovals: number): number[] {
  const remover = new StepRemover(model, input, removal)
  const removals = Math.min(maxRemovals, removableSteps(remover.steps, removal))
  const order = relevanceOrder(perStep, 'most')
  const copies = Array.from({ length: removals + 1 }, (_, k) => remover.without(order, k))
  return model.predictBatch(copies).map(({ scores }) => targetScore(scores, target, model.config.head.outputs))
}

/** AOPC: the mean over k = 1..K of curve[0] − curve[k] (K = curve.length − 1 ≥ 1). */
export function aopc(curve: readonly number[]): number {
  let sum = 0
  for (let k = 1; k < curve.length; k++) sum += curve[0] - curve[k]
  return sum / (curve.length - 1)
}
