// Float64 LRP through one GRU direction, a literal transcription of docs/METHODS.md "GRU layers".
// Every map is walked per unit with the shared rules of lrp-rules.ts, so what each absorbs is
// booked where it happens.
import type { GruDirectionCache } from './gru.js'
import { epsilonRule, gatedProduct, sum, zeros, type AbsorbedBreakdown, type Rule, type Stabiliser } from './lrp-rules.js'
import { GRU_BLOCKS, type GruBlock, type RefDirection, type RefGruCell } from './model.js'

export interface GruLrpOptions {
  stabiliser: Stabiliser
  /** Rule and eps_P of the update products (both summands of h) and of the reset product(s). */
  update: { rule: Rule; eps: number }
  reset: { rule: Rule; eps: number }
}

const rowOf = (dir: RefDirection, block: GruBlock, unit: number, H: number) => ({
  W: dir.W[GRU_BLOCKS.indexOf(block) * H + unit],
  U: dir.U[GRU_BLOCKS.indexOf(block) * H + unit],
  b: dir.b[GRU_BLOCKS.indexOf(block) * H + unit],
})

/**
 * One direction, backwards through its processing order. RyAbove is indexed by time (T x H).
 * Returns the relevance of the inputs by time (T x I) and what reached h_0.
 */
export function lrpGruDirection(cell: RefGruCell, dir: RefDirection, H: number, cache: GruDirectionCache, RyAbove: number[][], opts: GruLrpOptions, absorbed: AbsorbedBreakdown): { Rx: number[][]; initialState: number } {
  const T = cache.steps.length
  const I = cache.steps[0].x.length
  const stab = opts.stabiliser
  const Rx = Array.from({ length: T }, () => zeros(I))
  const split = (product: 'update' | 'reset', zGate: number, zSignal: number, Rp: number) => gatedProduct(opts[product].rule, opts[product].eps, zGate, zSignal, Rp, absorbed)

  let RhFromNext = zeros(H)
  for (let s = T - 1; s >= 0; s--) {
    const step = cache.steps[s]
    const Rh = RyAbove[step.t].map((r, k) => r + RhFromNext[k])
    const RhPrev = zeros(H)
    const RpreU = zeros(H)
    const RpreR = zeros(H)
    const Ra = zeros(H)

    for (let k = 0; k < H; k++) {
      // accumulation h = (1 − u) ⊙ n + u ⊙ h': epsilon rule per unit, no bias, N = 2
      const [RpN, RpH] = epsilonRule([step.pN[k], step.pH[k]], [[1, 1]], [0], [Rh[k]], stab, 'accumulation', absorbed)
      // (1 − u) ⊙ n: the gate's z is −a^u, the signal's z is n; u ⊙ h': a^u and h'
      const candidate = split('update', -step.preU[k], step.n[k], RpN)
      const carried = split('update', step.preU[k], step.yPrev[k], RpH)
      RpreU[k] = candidate.gate + carried.gate
      RhPrev[k] += carried.signal
      // n = tanh(a) passes its relevance to a unchanged
      Ra[k] = candidate.signal
    }

    for (let k = 0; k < H; k++) {
      const n = rowOf(dir, 'n', k, H)
      if (cell.resetAfter) {
        // a = W_n x + b_n + s: N = I + 1 contributions, s = r ⊙ q one of them
        const Rin = epsilonRule([...step.x, step.s[k]], [[...n.W, 1]], [n.b], [Ra[k]], stab, 'gateMaps', absorbed)
        Rin.slice(0, I).forEach((r, j) => (Rx[step.t][j] += r))
        const reset = split('reset', step.preR[k], step.q[k], Rin[I])
        RpreR[k] = reset.gate
        // q = U_n h' + b_hn: N = H
        const Rq = epsilonRule(step.yPrev, [n.U], [(dir.bHn as number[])[k]], [reset.signal], stab, 'gateMaps', absorbed)
        Rq.forEach((r, j) => (RhPrev[j] += r))
      } else {
        // a = W_n x + U_n (r ⊙ h') + b_n: N = I + H contributions, the products r_j h'_j among them
        const Rin = epsilonRule([...step.x, ...step.resetProducts], [[...n.W, ...n.U]], [n.b], [Ra[k]], stab, 'gateMaps', absorbed)
        Rin.slice(0, I).forEach((r, j) => (Rx[step.t][j] += r))
        Rin.slice(I).forEach((Rp, j) => {
          const reset = split('reset', step.preR[j], step.yPrev[j], Rp)
          RpreR[j] += reset.gate
          RhPrev[j] += reset.signal
        })
      }
    }

    // gate maps: a^r and a^u to [x_t; h'], N = I + H
    const gateMaps: [GruBlock, number[]][] = [
      ['r', RpreR],
      ['u', RpreU],
    ]
    for (const [block, Rpre] of gateMaps) {
      for (let k = 0; k < H; k++) {
        const row = rowOf(dir, block, k, H)
        const Rin = epsilonRule([...step.x, ...step.yPrev], [[...row.W, ...row.U]], [row.b], [Rpre[k]], stab, 'gateMaps', absorbed)
        Rin.slice(0, I).forEach((r, j) => (Rx[step.t][j] += r))
        Rin.slice(I).forEach((r, j) => (RhPrev[j] += r))
      }
    }
    RhFromNext = RhPrev
  }
  return { Rx, initialState: sum(RhFromNext) }
}
