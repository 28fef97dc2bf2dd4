// Backpropagation through one GRU direction (docs/METHODS.md "GRU layers"), by hand from the equations.
import type { GruDirectionCache } from './gru.js'
import { GRU_BLOCKS, type GruBlock, type RefDirection, type RefGruCell } from './model.js'

const zeros = (n: number): number[] => new Array<number>(n).fill(0)

/** dyAbove is by time (T x H), the result by time (T x I). */
export function backpropGruDirection(cell: RefGruCell, dir: RefDirection, H: number, cache: GruDirectionCache, dyAbove: number[][]): number[][] {
  const T = cache.steps.length
  const I = cache.steps[0].x.length
  const dx = Array.from({ length: T }, () => zeros(I))
  const rowOf = (block: GruBlock, k: number) => GRU_BLOCKS.indexOf(block) * H + k
  let dhNext = zeros(H)
  for (let s = T - 1; s >= 0; s--) {
    const step = cache.steps[s]
    const dhPrev = zeros(H)
    const dPreR = zeros(H)
    const dPreU = zeros(H)
    const dA = zeros(H)
    for (let k = 0; k < H; k++) {
      const dh = dyAbove[step.t][k] + dhNext[k]
      // h = (1 − u) n + u h'
      dhPrev[k] += dh * step.u[k]
      dPreU[k] = dh * (step.yPrev[k] - step.n[k]) * step.u[k] * (1 - step.u[k])
      dA[k] = dh * (1 - step.u[k]) * (1 - step.n[k] ** 2)
    }
    for (let k = 0; k < H; k++) {
      const n = rowOf('n', k)
      for (let j = 0; j < I; j++) dx[step.t][j] += dir.W[n][j] * dA[k]
      if (cell.resetAfter) {
        // a = W_n x + b_n + r ⊙ (U_n h' + b_hn)
        dPreR[k] += dA[k] * step.q[k] * step.r[k] * (1 - step.r[k])
        for (let j = 0; j < H; j++) dhPrev[j] += dir.U[n][j] * dA[k] * step.r[k]
      } else {
        // a = W_n x + U_n (r ⊙ h') + b_n
        for (let j = 0; j < H; j++) {
          const dProduct = dir.U[n][j] * dA[k]
          dPreR[j] += dProduct * step.yPrev[j] * step.r[j] * (1 - step.r[j])
          dhPrev[j] += dProduct * step.r[j]
        }
      }
    }
    const gates: [GruBlock, number[]][] = [
      ['r', dPreR],
      ['u', dPreU],
    ]
    for (const [block, dPre] of gates) {
      for (let k = 0; k < H; k++) {
        const row = rowOf(block, k)
        for (let j = 0; j < I; j++) dx[step.t][j] += dir.W[row][j] * dPre[k]
        for (let j = 0; j < H; j++) dhPrev[j] += dir.U[row][j] * dPre[k]
      }
    }
    dhNext = dhPrev
  }
  return dx
}
