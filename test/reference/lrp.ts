// Float64 LRP, a literal transcription of docs/METHODS.md "LRP".
// Clarity over speed: every linear map is walked edge by edge, and every place
// that absorbs relevance books it on its own, so the conservation identity
// input = inputs + absorbed + initialState is a real check, not a tautology.
import { refForward, type DirectionCache } from './forward.js'
import { downThroughLayers, signalAtHeadInputs } from './layer-walk.js'
import { lrpGruDirection, type GruLrpOptions } from './gru-lrp.js'
import { epsilonRule, gatedProduct, sum, zeros, type AbsorbedBreakdown, type Rule, type Stabiliser } from './lrp-rules.js'
import { BLOCKS, blockPresent, type Gate, type RefCell, type RefDirection, type RefInput, type RefModel } from './model.js'

export type { AbsorbedBreakdown, Rule }

export interface RefLrpOptions {
  /** Same shape as the scores. */
  targetWeights: number[][]
  /** `logit`: R = w ⊙ scores; `one`: R = w; a matrix: R = that matrix (per score row). */
  init: 'logit' | 'one' | number[][]
  eps: number
  biasFactor: number
  /** update and reset: the GRU's products, needed only when the model has a GRU layer. */
  rules: { input: Rule; forget: Rule; output: Rule; update?: Rule; reset?: Rule }
  productEps: { input: number; forget: number; output: number; update?: number; reset?: number }
}

function gruOptions(opts: RefLrpOptions): GruLrpOptions {
  const { rules, productEps } = opts
  if (rules.update === undefined || rules.reset === undefined) throw new Error('a GRU layer needs rules.update and rules.reset')
  if (productEps.update === undefined || productEps.reset === undefined) throw new Error('a GRU layer needs productEps.update and productEps.reset')
  return {
    stabiliser: { eps: opts.eps, biasFactor: opts.biasFactor },
    update: { rule: rules.update, eps: productEps.update },
    reset: { rule: rules.reset, eps: productEps.reset },
  }
}

export interface RefLrpResult {
  /** T x I, on the (embedded) input vectors. */
  relevance: number[][]
  perStep: number[]
  conservation: { input: number; inputs: number; absorbed: number; initialState: number }
  absorbedBy: AbsorbedBreakdown
}

const productOfGate: Record<Gate, 'input' | 'forget' | 'output'> = { i: 'input', f: 'forget', o: 'output' }

/**
 * One direction, backwards through its processing order. RyAbove is indexed by
 * time (T x H). Returns the relevance of the inputs by time (T x I) and what
 * reached y_0 and c_0.
 */
function lrpDirection(cell: RefCell, dir: RefDirection, H: number, cache: DirectionCache, RyAbove: number[][], opts: RefLrpOptions, absorbed: AbsorbedBreakdown): { Rx: number[][]; initialState: number } {
  const T = cache.steps.length
  const I = cache.steps[0].x.length
  const stab: Stabiliser = { eps: opts.eps, biasFactor: opts.biasFactor }
  const Rx = Array.from({ length: T }, () => zeros(I))

  // Split R_p of a product whose gate may be absent (then the signal takes all).
  const product = (gate: Gate, zGate: number[] | null, zSignal: number[], Rp: number[]) => {
    const name = productOfGate[gate]
    const Rgate = zeros(H)
    const Rsignal = zeros(H)
    for (let u = 0; u < H; u++) {
      if (!cell.gates[gate] || zGate === null) {
        Rsignal[u] = Rp[u]
        continue
      }
      const split = gatedProduct(opts.rules[name], opts.productEps[name], zGate[u], zSignal[u], Rp[u], absorbed)
      Rgate[u] = split.gate
      Rsignal[u] = split.signal
    }
    return { Rgate, Rsignal }
  }

  let RyFromNext = zeros(H) // from step s+1's gate maps
  let RcFromNext = zeros(H) // from step s+1's forget product signal
  for (let s = T - 1; s >= 0; s--) {
    const step = cache.steps[s]
    const Ry = RyAbove[step.t].map((r, u) => r + RyFromNext[u])

    // output product y = o ⊙ hScale·h(c): gate a^o, signal c_t
    const out = product('o', step.pre.o, step.c, Ry)
    const Rc = out.Rsignal.map((r, u) => r + RcFromNext[u])

    // accumulation c = p_in + p_f: epsilon rule per cell, no bias, N = 2
    const RpIn = zeros(H)
    const RpF = zeros(H)
    for (let u = 0; u < H; u++) {
      const [rIn, rF] = epsilonRule([step.pIn[u], step.pF[u]], [[1, 1]], [0], [Rc[u]], stab, 'accumulation', absorbed)
      RpIn[u] = rIn
      RpF[u] = rF
    }

    // input product i ⊙ z: gate a^i, signal a^z; forget product f ⊙ c_{t-1}: gate a^f, signal c_{t-1}
    const inp = product('i', step.pre.i, step.pre.z as number[], RpIn)
    const forget = product('f', step.pre.f, step.cPrev, RpF)

    // gate maps: relevance of each block's pre-activation to [x_t; y_{t-1}]
    const Rpre = { z: inp.Rsignal, i: inp.Rgate, f: forget.Rgate, o: out.Rgate }
    const RyPrev = zeros(H)
    for (const k of BLOCKS) {
      if (!blockPresent(cell, k)) continue
      const conn = cell.connections[k]
      const offset = BLOCKS.indexOf(k) * H
      const a = [...(conn.input ? step.x : []), ...(conn.recurrent ? step.yPrev : [])]
      const w = Array.from({ length: H }, (_, u) => [...(conn.input ? dir.W[offset + u] : []), ...(conn.recurrent ? dir.U[offset + u] : [])])
      const b = dir.b.slice(offset, offset + H)
      const Rin = epsilonRule(a, w, b, Rpre[k], stab, 'gateMaps', absorbed)
      const fromX = conn.input ? Rin.slice(0, I) : []
      const fromY = conn.recurrent ? Rin.slice(conn.input ? I : 0) : []
      fromX.forEach((r, j) => (Rx[step.t][j] += r))
      fromY.forEach((r, u) => (RyPrev[u] += r))
    }
    RyFromNext = RyPrev
    RcFromNext = forget.Rsignal
  }
  return { Rx, initialState: sum(RyFromNext) + sum(RcFromNext) }
}

export function refLrp(model: RefModel, input: RefInput, opts: RefLrpOptions): RefLrpResult {
  const forward = refForward(model, input)
  const { scores, headInputs } = forward
  const T = forward.x.length
  const sameShape = (m: number[][]) => m.length === scores.length && m.every((row, r) => row.length === scores[r].length)
  if (!sameShape(opts.targetWeights)) throw new Error('targetWeights must have the shape of the scores')
  const initial = opts.init === 'logit' ? scores.map((row, r) => row.map((v, k) => opts.targetWeights[r][k] * v)) : opts.init === 'one' ? opts.targetWeights.map((row) => [...row]) : opts.init.map((row) => [...row])
  if (!sameShape(initial)) throw new Error('an initial relevance matrix must have the shape of the scores')

  const absorbed: AbsorbedBreakdown = { head: 0, gateMaps: 0, accumulation: 0, products: 0, zeroDenominators: 0 }
  const stab: Stabiliser = { eps: opts.eps, biasFactor: opts.biasFactor }

  // Head: one epsilon-rule map per score row, N = D.
  const headBias = model.head.bias ?? zeros(model.head.weight.length)
  const Rv = initial.map((R, r) => epsilonRule(headInputs[r], model.head.weight, headBias, R, stab, 'head', absorbed))

  let initialState = 0
  const relevance = downThroughLayers(model, forward, signalAtHeadInputs(model, T, Rv), {
    lstm: (cell, dir, H, cache, RyAbove) => {
      const result = lrpDirection(cell, dir, H, cache, RyAbove, opts, absorbed)
      initialState += result.initialState
      return result.Rx
    },
    gru: (cell, dir, H, cache, RyAbove) => {
      const result = lrpGruDirection(cell, dir, H, cache, RyAbove, gruOptions(opts), absorbed)
      initialState += result.initialState
      return result.Rx
    },
  })
  const perStep = relevance.map(sum)
  const totalAbsorbed = absorbed.head + absorbed.gateMaps + absorbed.accumulation + absorbed.products + absorbed.zeroDenominators
  return {
    relevance,
    perStep,
    conservation: { input: sum(initial.map(sum)), inputs: sum(perStep), absorbed: totalAbsorbed, initialState },
    absorbedBy: absorbed,
  }
}
