/**
 * The objects `lstm-lrp explain` and `lstm-lrp predict` print for an input, and `lstm-lrp serve`
 * answers with: one builder each, so a served answer is the command's line for the same input.
 */
import type { Model } from '../model/model.js'
import type { Explanation, Prediction } from '../explain/types.js'
import { echoedFields, trueClass, type InputRecord } from './input/records.js'
import { numbers, outputRows, rows } from './json-rows.js'
import { contrastName, type Contrast } from './class-flags.js'
import type { Provenance } from './explain-provenance.js'

/** What "label" says of a target: the class's name, or "positive vs negative" for a contrast. */
function targetLabel(model: Model, explanation: Explanation, record: InputRecord, contrast: Contrast | null): string | undefined {
  const { labels } = model.config
  if (contrast !== null) return contrastName(contrast, labels)
  return record.words !== undefined && typeof explanation.target === 'number' ? labels?.[explanation.target] : undefined
}

/**
 * The core contract, with the tokens, the unknown ones and the target's label name when the input was text or words, and how it was made.
 * relevance: false leaves out the per-dimension relevance (the server's default for token inputs, whose perStep says it).
 */
export function explanationObject(
  model: Model,
  explanation: Explanation,
  record: InputRecord,
  contrast: Contrast | null,
  provenance: Provenance,
  { relevance = true }: { relevance?: boolean } = {},
): Record<string, unknown> {
  // Properties are set one by one, in the line's order: spreading optional parts was most of the
  // time a served answer took to build.
  const object = echoedFields(record) as Record<string, unknown>
  const label = targetLabel(model, explanation, record, contrast)
  if (label !== undefined) object.label = label
  object.method = provenance.method
  object.options = provenance.options
  object.model = provenance.model
  object.scores = outputRows(explanation.scores, model.config)
  object.target = explanation.target
  if (relevance) object.relevance = rows(explanation.relevance, explanation.features)
  object.perStep = numbers(explanation.perStep)
  object.conservation = explanation.conservation
  if (explanation.decomposition !== null) object.decomposition = explanation.decomposition
  if (explanation.completeness !== null) object.completeness = explanation.completeness
  return object
}

/** A line with a "y" gets it back, and for one true class whether the prediction is it. */
function truth(model: Model, prediction: Prediction, record: InputRecord): { y?: unknown; correct?: boolean } {
  if (record.y === undefined) return {}
  const cls = trueClass(record, model.config)
  return cls === null ? { y: record.y } : { y: record.y, correct: prediction.label === cls }
}

export function predictionObject(model: Model, prediction: Prediction, record: InputRecord): Record<string, unknown> {
  const labelName = prediction.label === null ? undefined : model.config.labels?.[prediction.label]
  return {
    ...echoedFields(record),
    scores: outputRows(prediction.scores, model.config),
    probabilities: prediction.probabilities === null ? null : outputRows(prediction.probabilities, model.config),
    label: prediction.label,
    ...(labelName !== undefined ? { labelName } : {}),
    ...truth(model, prediction, record),
  }
}
