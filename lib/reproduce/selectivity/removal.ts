/** Word removal of Fig. 11.5: which positions go, in which order, and the sentences that remain. */
import { shuffledIndices } from '../../train/random.js'

/**
 * Positions in removal order: decreasing relevance for a correctly classified sentence (remove the
 * evidence for the true class first), increasing for a misclassified one (remove the evidence against
 * it first). Ties keep the word order, so the order is deterministic.
 */
export function removalOrder(relevance: ArrayLike<number>, correct: boolean): number[] {
  const positions = Array.from({ length: relevance.length }, (_, t) => t)
  const sign = correct ? -1 : 1
  return positions.sort((a, b) => sign * (relevance[a] - relevance[b]) || a - b)
}

export function randomOrder(length: number, random: () => number): number[] {
  return shuffledIndices(length, random)
}

/** The tokens without the first `count` positions of `order`: the rest concatenated, as the paper deletes words. */
export function withoutPositions(tokens: readonly number[], order: readonly number[], count: number): number[] {
  const removed = new Set(order.slice(0, count))
  return tokens.filter((_, t) => !removed.has(t))
}
