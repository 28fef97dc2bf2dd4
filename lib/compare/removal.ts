/**
 * Removing steps from an input, in an order a method's relevance gives: each removed step set to the
 * zero vector (as occlusion replaces a step by default) or deleted (the rest concatenated, as the
 * paper's selectivity experiment deletes words).
 */
import type { Model } from '../model/model.js'
import type { FloatArray } from '../model/types.js'
import type { SequenceInput } from '../explain/types.js'
import { shuffledIndices } from '../train/random.js'
import { fail } from '../errors.js'

export const REMOVALS = ['zero', 'delete'] as const
export type Removal = (typeof REMOVALS)[number]

/** Which steps go first: the most relevant, the least relevant, or (evaluate-methods) a seeded random order. */
export type RemovalOrder = 'most' | 'least'

/** Positions in removal order: decreasing relevance ('most') or increasing ('least'); ties keep the step order, so the order is deterministic. */
export function relevanceOrder(relevance: ArrayLike<number>, order: RemovalOrder): number[] {
  const positions = Array.from({ length: relevance.length }, (_, t) => t)
  const sign = order === 'most' ? -1 : 1
  return positions.sort((a, b) => sign * (relevance[a] - relevance[b]) || a - b)
}

export function randomOrder(length: number, random: () => number): number[] {
  return shuffledIndices(length, random)
}

/** The tokens without the first `count` positions of `order`: the rest concatenated. */
export function withoutPositions(tokens: readonly number[], order: readonly number[], count: number): number[] {
  const removed = new Set(order.slice(0, count))
  return tokens.filter((_, t) => !removed.has(t))
}

/** How many steps of a T-step input can go: all of them when zeroed, all but one when deleted (a sequence keeps a step). */
export function removableSteps(steps: number, removal: Removal): number {
  return removal === 'zero' ? steps : steps - 1
}

function isTokens(input: SequenceInput): input is { tokens: ArrayLike<number> } {
  return !Array.isArray(input) && 'tokens' in input
}

/**
 * Copies of one input with steps removed. Zeroing a token model's step zeroes its embedded vector
 * (what occlusion's zero replacement does), so the ids are looked up in the embedding once here.
 */
export class StepRemover {
  readonly steps: number
  private readonly tokens: number[] | null
  private readonly vectors: FloatArray | null
  private readonly width: number

  constructor(
    model: Model,
    input: SequenceInput,
    private readonly removal: Removal,
  ) {
    const { config } = model
    this.width = config.inputSize
    if (config.head.readout === 'each' && removal === 'delete') fail('E_OPTIONS', '--removal delete needs a model with readout last: deleting steps would shift the steps of an each readout')
    if (isTokens(input)) {
      this.tokens = Array.from(input.tokens)
      this.steps = this.tokens.length
      this.vectors = removal === 'zero' ? this.embedded(model, this.tokens) : null
      return
    }
    this.tokens = null
    if (Array.isArray(input)) {
      this.steps = input.length
      this.vectors = Float64Array.from(input.flat())
    } else {
      this.steps = input.steps
      this.vectors = input.data
    }
  }

  private embedded(model: Model, tokens: number[]): FloatArray {
    const table = model.weights.get('embedding.weight')!.data
    const vectors = new Float64Array(tokens.length * this.width)
    tokens.forEach((id, t) => vectors.set(table.subarray(id * this.width, (id + 1) * this.width), t * this.width))
    return vectors
  }

  /** The input without the first `count` positions of `order`. */
  without(order: readonly number[], count: number): SequenceInput {
    if (this.vectors === null) return { tokens: withoutPositions(this.tokens!, order, count) }
    const width = this.width
    const removed = order.slice(0, count)
    if (this.removal === 'zero') {
      const data = Float64Array.from(this.vectors)
      for (const t of removed) data.fill(0, t * width, (t + 1) * width)
      return { data, steps: this.steps }
    }
    const gone = new Set(removed)
    const data = new Float64Array((this.steps - count) * width)
    let row = 0
    for (let t = 0; t < this.steps; t++) if (!gone.has(t)) data.set(this.vectors.subarray(t * width, (t + 1) * width), width * row++)
    return { data, steps: this.steps - count }
  }
}
