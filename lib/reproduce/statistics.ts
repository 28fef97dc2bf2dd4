/** Summary statistics of the experiments (not explanation numerics, which live in the kernel). */

export interface Summary {
  mean: number
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

export function summarise(values: readonly number[]): Summary {
  const average = mean(values)
  const spread = values.length < 2 ? 0 : Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1))
  return { mean: average, std: spread }
}

/** Pearson's correlation; 0 when either variable is constant (no linear relation can be measured). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let k = 0; k < x.length; k++) {
    sxy += (x[k] - mx) * (y[k] - my)
    sxx += (x[k] - mx) ** 2
    syy += (y[k] - my) ** 2
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy)
}
