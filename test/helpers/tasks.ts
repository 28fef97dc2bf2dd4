// The paper's toy tasks as training data (docs/REPRODUCTION.md § Table 11.2: fidelity on toy addition and subtraction),
// seeded; the arithmetic tasks live with the reproduction.
import { seededRandom } from '../../lib/train/random.js'
import type { TrainItem } from '../../lib/index.js'

export { toyArithmetic } from '../../lib/reproduce/fidelity/tasks.js'

/** A delayed reward: events A and B happen at random steps; the return, given at the end, counts the A events. */
export function delayedReward(count: number, seed: number): TrainItem[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => {
    const steps = 8 + Math.floor(random() * 8)
    const input = Array.from({ length: steps }, () => [random() < 0.2 ? 1 : 0, random() < 0.2 ? 1 : 0])
    return { input, target: input.reduce((sum, row) => sum + row[0], 0) }
  })
}
