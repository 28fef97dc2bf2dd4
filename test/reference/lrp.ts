// Float64 LRP, a literal transcription of docs/METHODS.md "LRP".
// Clarity over speed: every linear map is walked edge by edge, and every place
// that absorbs relevance books it on its own, so the conservation identity
// input = inputs + absorbed + initialState is a real check, not a tautology.
import { refForward, type DirectionCache } from './forward.js'
import { downThroughLayers, signalAtHeadInputs } from './layer-walk.js'
import { BLOCKS, blockPresent, type Gate, type RefCell, type RefDirection, type RefInput, type RefModel } from './model.js'

export type Rule = 'all' | 'prop' | 'abs' | 'half'

export interface RefLrpOptions {
  /** Same shape as the scores. */
  targetWeights: number[][]
  /** `logit`: R = w ⊙ scores; `one`: R = w; a matrix: R = that matrix (per score row). */
  init: 'logit' | 'one' | number[][]
  eps: number
  biasFactor: number
  rules: { input: Rule; forget: Rule; output: Rule }
  productEps: { input: number; forget: number; output: number }
}

/** Where relevance left the network other than through the inputs. */
export interface AbsorbedBreakdown {
  head: number
  gateMaps: number
  accumulation: number
  products: number
  /** Whole R_k (or R_p) dropped because a denominator was exactly 0. */
  zeroDenominators: number
}

export interface RefLrpResult {
  /** T x I, on the (embedded) input vectors. */
  relevance: number[][]
  perStep: number[]
  conservation: { input: number; inputs: number; absorbed: number; initialState: number }
  absorbedBy: AbsorbedBreakdown
}

/** sign with sign(0) = +1 */
const sign = (v: number): number => (v >= 0 ? 1 : -1)
const zeros = (n: number): number[] => new Array<number>(n).fill(0)
const sum = (v: number[]): number => v.reduce((acc, x) => acc + x, 0)

type MapKind = 'head' | 'gateMaps' | 'accumulation'

interface Stabiliser {
  eps: number
  biasFactor: number
}

/**
 * Epsilon rule for z_k = Σ_j a_j w[k][j] + b_k, where w[k] lists only the N
 * connected inputs:
 *   R_j = Σ_k a_j w_jk / d_k · R_k + biasFactor · Σ_k (b_k + ε sign z_k) / d_k · R_k / N,
 * d_k = z_k + ε sign z_k. The rest of (b_k + ε sign z_k)/d_k · R_k is absorbed.
 */
function epsilonRule(a: number[], w: number[][], b: number[], R: number[], stab: Stabiliser, kind: MapKind, absorbed: AbsorbedBreakdown): number[] {
  const N = a.length
  const Rin = zeros(N)
  for (let k = 0; k < R.length; k++) {
    let z = b[k]
    for (let j = 0; j < N; j++) z += a[j] * w[k][j]
    const stabiliser = stab.eps * sign(z)
    const d = z + stabiliser
    if (d === 0) {
      absorbed.zeroDenominators += R[k]
      continue
    }
    if (N === 0) {
      absorbed[kind] += R[k] // a map with no inputs keeps everything
      continue
    }
    const s = R[k] / d
    const messages = a.map((aj, j) => aj * w[k][j] * s)
    const biasShare = (b[k] + stabiliser) * s
    for (let j = 0; j < N; j++) Rin[j] += messages[j] + (stab.biasFactor * biasShare) / N
    absorbed[kind] += (1 - stab.biasFactor) * biasShare
  }
  return Rin
}

/** Table of METHODS.md "Gated products": split R_p of p = gate · signal. */
function gatedProduct(rule: Rule, epsP: number, zGate: number, zSignal: number, Rp: number, absorbed: AbsorbedBreakdown): { gate: number; signal: number } {
  switch (rule) {
    case 'all':
      return { gate: 0, signal: Rp }
    case 'half':
      return { gate: Rp / 2, signal: Rp / 2 }
    case 'prop': {
      const stabiliser = epsP * sign(zGate + zSignal)
      const d = zGate + zSignal + stabiliser
      if (d === 0) {
        absorbed.zeroDenominators += Rp
        return { gate: 0, signal: 0 }
      }
      absorbed.products += (stabiliser / d) * Rp
      return { gate: (zGate / d) * Rp, signal: (zSignal / d) * Rp }
    }
    case 'abs': {
      const d = Math.abs(zGate) + Math.abs(zSignal) + epsP
      if (d === 0) {
        absorbed.zeroDenominators += Rp
        return { gate: 0, signal: 0 }
      }
      absorbed.products += (epsP / d) * Rp
      return { gate: (Math.abs(zGate) / d) * Rp, signal: (Math.abs(zSignal) / d) * Rp }
    }
  }
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
  const relevance = downThroughLayers(model, forward, signalAtHeadInputs(model, T, Rv), (cell, dir, H, cache, RyAbove) => {
    const result = lrpDirection(cell, dir, H, cache, RyAbove, opts, absorbed)
    initialState += result.initialState
    return result.Rx
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
