/**
 * What predict and explain allocate in JavaScript, checked before allocating: with readout
 * 'each' a short input asks for steps × outputs scores, probabilities and target weights, which
 * a few kilobytes of input can make many gigabytes. The kernel checks its own working memory.
 */
import { fail } from '../errors.js'

export interface ResultShape {
  /** Steps over the call's sequences, and its score rows (sequences for readout 'last'). */
  steps: number
  scoreRows: number
  outputs: number
  features: number
  sequences: number
  /** Bytes of one value of the model dtype. */
  valueBytes: number
}

/** The float64 per-sequence report and the int32 target of explain's outputs. */
const PER_SEQUENCE_BYTES = 4 * 8 + 4

/** Scores and (classification) float64 probabilities. */
export function predictBytes(shape: ResultShape, withProbabilities: boolean): number {
  const scores = shape.scoreRows * shape.outputs
  return scores * shape.valueBytes + (withProbabilities ? scores * 8 : 0)
}

/**
 * Explain's outputs (scores, relevance, per-step relevance, the per-sequence report) plus the
 * float64 target weights when targets are given.
 */
export function explainBytes(shape: ResultShape, withWeights: boolean): number {
  const scores = shape.scoreRows * shape.outputs
  const outputs = (scores + shape.steps * shape.features + shape.steps) * shape.valueBytes + shape.sequences * PER_SEQUENCE_BYTES
  return outputs + (withWeights ? scores * 8 : 0)
}

export function checkMemory(bytes: number, limit: number, what: string): void {
  if (bytes > limit) fail('E_MEMORY', `${what} would need about ${Math.ceil(bytes)} bytes for its results; the limit is ${limit} bytes (half the machine's memory; 2 GiB in browsers)`)
}
