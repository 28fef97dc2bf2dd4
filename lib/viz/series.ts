/** One number per step for plotting a multi-feature input. */
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'

/**
 * One number per step of a numeric input: the feature itself when there is one (signed), otherwise
 * the L2 norm of each step's features (its magnitude: the signs are lost). To show a multi-feature
 * input with its signs, give the renderers the input as HeatmapRow.x with featureRelevance instead.
 */
export function seriesOf(x: readonly (readonly number[])[]): number[] {
  if (!Array.isArray(x)) fail('E_INPUT', `seriesOf: x must be an array of steps, each an array of numbers; got ${describeValue(x)}`)
  return x.map((row: unknown, t) => {
    if (!Array.isArray(row) || row.length === 0) fail('E_INPUT', `seriesOf: x[${t}] must be a non-empty array of numbers; got ${describeValue(row)}`)
    const bad = row.findIndex((value) => typeof value !== 'number' || !Number.isFinite(value))
    if (bad >= 0) fail('E_INPUT', `seriesOf: x[${t}][${bad}] must be a finite number; got ${describeValue(row[bad])}`)
    return row.length === 1 ? row[0] : norm(row)
  })
}

/** Math.hypot without spreading the row into a call (a wide row would overflow the stack): scaled by the largest |value| so squares neither overflow nor underflow. */
function norm(row: readonly number[]): number {
  let largest = 0
  for (const value of row) largest = Math.max(largest, Math.abs(value))
  if (largest === 0) return 0
  let sum = 0
  for (const value of row) sum += (value / largest) ** 2
  return largest * Math.sqrt(sum)
}
