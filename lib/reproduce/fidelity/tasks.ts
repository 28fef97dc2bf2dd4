/** The toy arithmetic tasks of Table 11.2 (docs/REPRODUCTION.md § Table 11.2: fidelity on toy addition and subtraction), seeded. */
import { seededRandom } from '../../train/random.js'
import type { TrainItem } from '../../train/types.js'

export type ArithmeticTask = 'addition' | 'subtraction'

/** A sequence whose target is n_a ± n_b; a and b are the (0-based) marked steps. */
export interface ArithmeticItem extends TrainItem {
  input: number[][]
  target: number
  a: number
  b: number
  /** n_a and n_b, the ground truth the relevance at a and b should follow. */
  na: number
  nb: number
}

/**
 * Addition (values in [−1, −0.5] ∪ [0.5, 1]) or subtraction (values in [0.5, 1]): x_t = (n_t, 0),
 * or (0, n_t) at the two marked steps a < b, drawn uniformly; the target is n_a ± n_b.
 */
export function toyArithmetic(task: ArithmeticTask, count: number, minSteps: number, maxSteps: number, seed: number): ArithmeticItem[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => {
    const steps = minSteps + Math.floor(random() * (maxSteps - minSteps + 1))
    const first = Math.floor(random() * steps)
    let second = Math.floor(random() * (steps - 1))
    if (second >= first) second++
    const [a, b] = first < second ? [first, second] : [second, first]
    const values = Array.from({ length: steps }, () => {
      const magnitude = 0.5 + 0.5 * random()
      return task === 'subtraction' || random() < 0.5 ? magnitude : -magnitude
    })
    const input = values.map((value, t) => (t === a || t === b ? [0, value] : [value, 0]))
    const target = task === 'addition' ? values[a] + values[b] : values[a] - values[b]
    return { input, target, a, b, na: values[a], nb: values[b] }
  })
}

export interface ArithmeticSplits {
  train: ArithmeticItem[]
  validation: ArithmeticItem[]
  test: ArithmeticItem[]
}

/** The paper's splits: lengths that do not overlap, so the test set needs generalisation to longer sequences. */
export function arithmeticSplits(task: ArithmeticTask, seed: number, sizes = { train: 10000, validation: 2500, test: 2500 }): ArithmeticSplits {
  return {
    train: toyArithmetic(task, sizes.train, 4, 10, seed * 3 + 1),
    validation: toyArithmetic(task, sizes.validation, 11, 12, seed * 3 + 2),
    test: toyArithmetic(task, sizes.test, 13, 14, seed * 3 + 3),
  }
}
