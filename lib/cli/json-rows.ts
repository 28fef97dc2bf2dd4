/** Row-major typed arrays as the nested JSON arrays the CLI writes. */
import type { FloatArray, ModelConfig } from '../model/types.js'

export function rows(values: FloatArray, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)))
}

/** Scores or probabilities: one row of numbers for readout `last`, T rows for `each`. */
export function outputRows(values: FloatArray, config: ModelConfig): number[] | number[][] {
  return config.head.readout === 'last' ? Array.from(values) : rows(values, config.head.outputs)
}
