/** Table 11.2's statistics of one model's test explanations. */
import { mean, pearson } from '../statistics.js'
import type { ArithmeticItem } from './tasks.js'

export interface RelevanceStatistics {
  /** ρ(n_a, R_a) over the test sequences. */
  rhoA: number
  /** ρ(n_b, R_b). */
  rhoB: number
  /** E[(|R_a| + |R_b|) / Σ_t |R_t|]: the share of the absolute relevance on the two relevant steps. */
  share: number
}

export function relevanceStatistics(items: readonly ArithmeticItem[], perStep: readonly ArrayLike<number>[]): RelevanceStatistics {
  const shares: number[] = []
  perStep.forEach((relevance, n) => {
    const { a, b } = items[n]
    const total = Array.from(relevance).reduce((sum, value) => sum + Math.abs(value), 0)
    // A sequence with no relevance anywhere has no share to speak of; it is left out of the mean.
    if (total > 0) shares.push((Math.abs(relevance[a]) + Math.abs(relevance[b])) / total)
  })
  return {
    rhoA: pearson(
      items.map((item) => item.na),
      perStep.map((relevance, n) => relevance[items[n].a]),
    ),
    rhoB: pearson(
      items.map((item) => item.nb),
      perStep.map((relevance, n) => relevance[items[n].b]),
    ),
    share: shares.length === 0 ? 0 : mean(shares),
  }
}
