/**
 * The Moneybag/Coins grid world of Sec. 11.5.2 (docs/REPRODUCTION.md § Fig. 11.6–11.7: reward redistribution),
 * with the rules the paper leaves open:
 *
 * - a line of GRID_CELLS cells; the agent starts on a cell drawn uniformly from the inner cells
 *   1..GRID_CELLS−2 and acts EPISODE_STEPS times, moving one cell left or right (into a wall: it stays);
 * - the Moneybag lies on the leftmost cell and is collected the first time the agent steps onto it;
 * - a Coin lies on the rightmost cell and is collected each time the agent steps onto it (moving into
 *   the wall from there collects nothing), so a Coin can be had every second step;
 * - the return, given only at the end, is the number of Coins collected after the Moneybag;
 * - each step is four binary features: Moneybag collected at this step, Coin collected at this step,
 *   action left, action right.
 *
 * Episodes come from an epsilon-greedy policy around the good strategy (go left until the Moneybag
 * is collected, then shuttle on the two rightmost cells), with epsilon drawn per episode uniformly
 * from [0, 1]: returns range from 0 to the maximum, and some Coins come before the Moneybag.
 */
import { seededRandom } from '../../train/random.js'

export const GRID_CELLS = 7
export const EPISODE_STEPS = 24
export const FEATURES = ['Moneybag', 'Coin', 'left', 'right'] as const

export interface Episode {
  /** EPISODE_STEPS rows of the four features. */
  input: number[][]
  /** Coins collected after the Moneybag, given at the end. */
  target: number
  /** Step at which the Moneybag was collected, or null. */
  moneybagStep: number | null
  /** Steps at which a Coin was collected, and whether it counted (it came after the Moneybag). */
  coins: { step: number; counted: boolean }[]
}

type Action = 'left' | 'right'

function goodAction(position: number, hasMoneybag: boolean): Action {
  if (!hasMoneybag) return 'left'
  return position === GRID_CELLS - 1 ? 'left' : 'right'
}

export function playEpisode(random: () => number, epsilon: number): Episode {
  let position = 1 + Math.floor(random() * (GRID_CELLS - 2))
  let moneybagStep: number | null = null
  const coins: Episode['coins'] = []
  const input: number[][] = []
  for (let step = 0; step < EPISODE_STEPS; step++) {
    const action: Action = random() < epsilon ? (random() < 0.5 ? 'left' : 'right') : goodAction(position, moneybagStep !== null)
    const next = Math.min(Math.max(position + (action === 'left' ? -1 : 1), 0), GRID_CELLS - 1)
    const moved = next !== position
    position = next
    const moneybag = moved && position === 0 && moneybagStep === null
    if (moneybag) moneybagStep = step
    const coin = moved && position === GRID_CELLS - 1
    if (coin) coins.push({ step, counted: moneybagStep !== null })
    input.push([moneybag ? 1 : 0, coin ? 1 : 0, action === 'left' ? 1 : 0, action === 'right' ? 1 : 0])
  }
  return { input, target: coins.filter((coin) => coin.counted).length, moneybagStep, coins }
}

export function episodes(count: number, seed: number): Episode[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => playEpisode(random, random()))
}
