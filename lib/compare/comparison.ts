/**
 * `compare`: every method explains every input; each explanation's deletion curve and AOPC; the
 * methods ranked by their mean AOPC over the inputs (the largest first: removing the steps a method
 * finds most relevant lowers the score fastest).
 */
import type { Model } from '../model/model.js'
import type { ResolvedTarget, SequenceInput } from '../explain/types.js'
import type { NamedMethod } from '../reproduce/methods.js'
import { aopc, deletionCurve } from './deletion-curve.js'
import type { Removal } from './removal.js'
import { fail } from '../errors.js'

export interface ComparisonInput {
  /** Where the input came from ("--text 2", "line 3"): names it in messages and on the page. */
  where: string
  input: SequenceInput
  /** The tokens as the model read them (text inputs); steps are labelled by index without them. */
  tokens?: readonly string[]
}

export interface MethodRow {
  method: string
  perStep: number[]
  /** The target's score after removing the k most relevant steps, k = 0..K. */
  curve: number[]
  aopc: number
}

export interface ComparedInput {
  where: string
  labels: string[]
  /** The class every method explained: the original's predicted class. */
  target: ResolvedTarget
  /** The target for people: its label name, or "class k". */
  targetName: string
  rows: MethodRow[]
}

export interface Comparison {
  removal: Removal
  /** The cap on removed steps (null: every removable step). */
  maxRemovals: number | null
  inputs: ComparedInput[]
  /** Methods by mean AOPC over the inputs, the largest first (ties keep the --methods order). */
  ranking: { method: string; meanAopc: number }[]
}

export interface ComparisonSettings {
  removal: Removal
  maxRemovals: number | null
}

function targetName(target: ResolvedTarget, labels: readonly string[] | undefined): string {
  const name = (cls: number) => labels?.[cls] ?? `class ${cls}`
  if (typeof target === 'number') return name(target)
  return Array.isArray(target) ? `${name(target[1])} at step ${target[0]}` : 'weighted scores'
}

function labelsOf(input: ComparisonInput, steps: number): string[] {
  return input.tokens !== undefined ? [...input.tokens] : Array.from({ length: steps }, (_, t) => String(t))
}

export async function runComparison(model: Model, inputs: readonly ComparisonInput[], methods: readonly NamedMethod[], settings: ComparisonSettings): Promise<Comparison> {
  const compared: ComparedInput[] = []
  const cap = settings.maxRemovals ?? Infinity
  for (const method of methods) {
    const explanations = await model.explainBatch(
      inputs.map(({ input }) => input),
      method.options,
    )
    explanations.forEach((explanation, n) => {
      const input = inputs[n]
      const { target } = explanation
      compared[n] ??= { where: input.where, labels: labelsOf(input, explanation.steps), target, targetName: targetName(target, model.config.labels), rows: [] }
      const curve = deletionCurve(model, input.input, explanation.perStep, compared[n].target, settings.removal, cap)
      if (curve.length < 2) fail('E_INPUT', `${input.where}: one step, which --removal delete cannot remove (give --removal zero)`)
      compared[n].rows.push({ method: method.name, perStep: Array.from(explanation.perStep), curve, aopc: aopc(curve) })
    })
  }
  const ranking = methods.map(({ name }, m) => ({ method: name, meanAopc: compared.reduce((sum, input) => sum + input.rows[m].aopc, 0) / compared.length })).sort((a, b) => b.meanAopc - a.meanAopc)
  return { removal: settings.removal, maxRemovals: settings.maxRemovals, inputs: compared, ranking }
}
