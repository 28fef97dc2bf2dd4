/** One number per step for plotting a multi-feature input. */

/**
 * The plotted input of a numeric sequence: the feature itself when there is one, otherwise the L2
 * norm of each step's features (its magnitude; the sign is lost, but no feature is privileged).
 */
export function seriesOf(x: readonly (readonly number[])[]): number[] {
  return x.map((row) => (row.length === 1 ? row[0] : norm(row)))
}

/** Math.hypot without spreading the row into a call (a wide row would overflow the stack): scaled by the largest |value| so squares neither overflow nor underflow. */
function norm(row: readonly number[]): number {
  let largest = 0
  for (const value of row) largest = Math.max(largest, Math.abs(value))
  if (largest === 0 || !Number.isFinite(largest)) return largest
  let sum = 0
  for (const value of row) sum += (value / largest) ** 2
  return largest * Math.sqrt(sum)
}
