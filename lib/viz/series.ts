/** One number per step for plotting a multi-feature input. */

/**
 * The plotted input of a numeric sequence: the feature itself when there is one, otherwise the L2
 * norm of each step's features (its magnitude; the sign is lost, but no feature is privileged).
 */
export function seriesOf(x: readonly (readonly number[])[]): number[] {
  return x.map((row) => (row.length === 1 ? row[0] : Math.hypot(...row)))
}
