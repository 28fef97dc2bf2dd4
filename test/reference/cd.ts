// Float64 Contextual Decomposition, a transcription of docs/METHODS.md "Contextual Decomposition":
// Murdoch et al.'s algorithm (see cd-murdoch.ts for the published one-layer code) generalised to
// every cell configuration, bidirectional and stacked layers and both readouts, and of the GRU's
// decomposition in "GRU layers" (its own equations, not the kernel's).
// Like the published code, and unlike the kernel (which propagates β alone and takes γ as the
// true value minus β), this propagates β and γ separately, so β + γ = the true state is a
// property to test here rather than a construction.
import { cellInputActivation, cellOutputActivation, embed, refForward, sigmoid, timeAt, weightedSum } from './forward.js'
import { BLOCKS, GRU_BLOCKS, blockPresent, isGruCell, type Block, type GruBlock, type RefCell, type RefDirection, type RefGruCell, type RefInput, type RefModel } from './model.js'

export type CdConvention = 'reference' | 'inclusive'

export interface RefCdOptions {
  /** The phrase [start, stop) of time steps. */
  phrase: [number, number]
  convention: CdConvention
  /** Same shape as the scores. */
  targetWeights: number[][]
}

/** A value split into its relevant part β and irrelevant part γ, per unit. */
export interface Split {
  beta: number[]
  gamma: number[]
}

export interface CdStep {
  /** The time index the step reads. */
  t: number
  /** c of an LSTM; a GRU's state h (its output). */
  cell: Split
  output: Split
}

export interface CdLayer {
  /** Processing order, as in the forward pass. */
  fwd: CdStep[]
  bwd?: CdStep[]
  /** By time: [y_fwd(t); y_bwd(t)] split. */
  outputs: Split[]
}

export interface RefCdResult {
  layers: CdLayer[]
  /** Per score row: W_head β and W_head γ of the head input (no bias). */
  relevantScores: number[][]
  irrelevantScores: number[][]
  /** Σ w ⊙ of the above, and of the head bias. */
  relevant: number
  irrelevant: number
  bias: number
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0)

/**
 * The two-player Shapley split of G(a + b + c) over a and b with c as fixed reference
 * (decomp_three in the published code): [a's part, b's part, G(c)].
 */
export function decompThree(a: number, b: number, c: number, G: (v: number) => number): [number, number, number] {
  const aPart = 0.5 * (G(a + c) - G(c) + (G(a + b + c) - G(b + c)))
  const bPart = 0.5 * (G(b + c) - G(c) + (G(a + b + c) - G(a + c)))
  return [aPart, bPart, G(c)]
}

/** The same split of H(a + b) with 0 as reference (decomp_tanh_two); H(0) = 0 for every h. */
export function decompTwo(a: number, b: number, H: (v: number) => number): [number, number] {
  return [0.5 * (H(a) - H(0) + (H(a + b) - H(b))), 0.5 * (H(b) - H(0) + (H(a + b) - H(a)))]
}

/** W_k x + U_k y over the switched-on connections, without the bias. */
function linearPart(cell: RefCell, dir: RefDirection, block: Block, unit: number, H: number, x: number[], y: number[]): number {
  const row = BLOCKS.indexOf(block) * H + unit
  const conn = cell.connections[block]
  let a = 0
  if (conn.input) for (let j = 0; j < x.length; j++) a += dir.W[row][j] * x[j]
  if (conn.recurrent) for (let j = 0; j < H; j++) a += dir.U[row][j] * y[j]
  return a
}

function decomposeDirection(cell: RefCell, dir: RefDirection, H: number, inputs: Split[], backward: boolean, biasRelevant: (t: number) => boolean): CdStep[] {
  const T = inputs.length
  const steps: CdStep[] = []
  let yPrev: Split = { beta: zeros(H), gamma: zeros(H) }
  let cPrev: Split = { beta: zeros(H), gamma: zeros(H) }
  for (let s = 0; s < T; s++) {
    const t = timeAt(backward, s, T)
    const x = inputs[t]
    const cellSplit: Split = { beta: zeros(H), gamma: zeros(H) }
    const output: Split = { beta: zeros(H), gamma: zeros(H) }
    for (let u = 0; u < H; u++) {
      // [β part, γ part, bias part] of each block's output; an absent gate is the constant 1.
      const parts = {} as Record<Block, [number, number, number]>
      for (const k of BLOCKS) {
        if (!blockPresent(cell, k)) {
          parts[k] = [0, 0, 1]
          continue
        }
        const activation = k === 'z' ? (v: number) => cellInputActivation(cell, v) : sigmoid
        const bias = dir.b[BLOCKS.indexOf(k) * H + u]
        parts[k] = decompThree(linearPart(cell, dir, k, u, H, x.beta, yPrev.beta), linearPart(cell, dir, k, u, H, x.gamma, yPrev.gamma), bias, activation)
      }
      const [betaZ, gammaZ, biasZ] = parts.z
      const [betaI, gammaI, biasI] = parts.i
      const [betaF, gammaF, biasF] = parts.f
      // i⊙z
      let beta = betaI * (betaZ + biasZ) + biasI * betaZ
      let gamma = gammaI * (betaZ + gammaZ + biasZ) + (betaI + biasI) * gammaZ
      if (biasRelevant(t)) beta += biasI * biasZ
      else gamma += biasI * biasZ
      // f⊙c_{t-1}
      beta += (betaF + biasF) * cPrev.beta[u]
      gamma += (betaF + gammaF + biasF) * cPrev.gamma[u] + gammaF * cPrev.beta[u]
      cellSplit.beta[u] = beta
      cellSplit.gamma[u] = gamma
      // The true output gate, from the whole input and previous output.
      const xWhole = x.beta.map((v, j) => v + x.gamma[j])
      const yWhole = yPrev.beta.map((v, j) => v + yPrev.gamma[j])
      const o = blockPresent(cell, 'o') ? sigmoid(linearPart(cell, dir, 'o', u, H, xWhole, yWhole) + dir.b[3 * H + u]) : 1
      const [betaH, gammaH] = decompTwo(beta, gamma, (v) => cellOutputActivation(cell, v))
      output.beta[u] = o * betaH
      output.gamma[u] = o * gammaH
    }
    steps.push({ t, cell: cellSplit, output })
    yPrev = output
    cPrev = cellSplit
  }
  return steps
}

/** Σ_j w_j v_j */
const dot = (w: number[], v: number[]): number => v.reduce((acc, vj, j) => acc + w[j] * vj, 0)

/** A GRU direction: h' splits (β_h', γ_h') with no bias part, every product as the LSTM's input or forget product. */
function decomposeGruDirection(cell: RefGruCell, dir: RefDirection, H: number, inputs: Split[], backward: boolean, biasRelevant: (t: number) => boolean): CdStep[] {
  const T = inputs.length
  const units = <V>(f: (u: number) => V): V[] => Array.from({ length: H }, (_, u) => f(u))
  const row = (block: GruBlock, u: number): number => GRU_BLOCKS.indexOf(block) * H + u
  const steps: CdStep[] = []
  let hPrev: Split = { beta: zeros(H), gamma: zeros(H) }
  for (let s = 0; s < T; s++) {
    const t = timeAt(backward, s, T)
    const x = inputs[t]
    // [β, γ, bias part] of r and u: β_a = W β_x + U β_h', γ_a = W γ_x + U γ_h', bias part b.
    const gate = (block: GruBlock, u: number): [number, number, number] => {
      const k = row(block, u)
      return decompThree(dot(dir.W[k], x.beta) + dot(dir.U[k], hPrev.beta), dot(dir.W[k], x.gamma) + dot(dir.U[k], hPrev.gamma), dir.b[k], sigmoid)
    }
    const r = units((u) => gate('r', u))
    const update = units((u) => gate('u', u))
    // [β, γ, bias part] of a^n.
    let candidate: [number, number, number][]
    if (cell.resetAfter) {
      const bHn = dir.bHn as number[]
      candidate = units((u) => {
        const k = row('n', u)
        const [betaR, gammaR, biasR] = r[u]
        // q = U_n h' + b_hn; s = r ⊙ q as the input product, its bias × bias term σ(b_r) b_hn kept as a bias part.
        const betaQ = dot(dir.U[k], hPrev.beta)
        const gammaQ = dot(dir.U[k], hPrev.gamma)
        const betaS = betaR * (betaQ + bHn[u]) + biasR * betaQ
        const gammaS = gammaR * (betaQ + gammaQ + bHn[u]) + (betaR + biasR) * gammaQ
        return [dot(dir.W[k], x.beta) + betaS, dot(dir.W[k], x.gamma) + gammaS, dir.b[k] + biasR * bHn[u]]
      })
    } else {
      // m = r ⊙ h' as the forget product.
      const betaM = units((j) => (r[j][0] + r[j][2]) * hPrev.beta[j])
      const gammaM = units((j) => (r[j][0] + r[j][1] + r[j][2]) * hPrev.gamma[j] + r[j][1] * hPrev.beta[j])
      candidate = units((u) => {
        const k = row('n', u)
        return [dot(dir.W[k], x.beta) + dot(dir.U[k], betaM), dot(dir.W[k], x.gamma) + dot(dir.U[k], gammaM), dir.b[k]]
      })
    }
    const state: Split = { beta: zeros(H), gamma: zeros(H) }
    for (let u = 0; u < H; u++) {
      const [betaN, gammaN, biasN] = decompThree(...candidate[u], Math.tanh)
      const [betaU, gammaU, biasU] = update[u]
      // 1 − u: (−β_u, −γ_u, 1 − σ(b_u)).
      const [betaG, gammaG, biasG] = [-betaU, -gammaU, 1 - biasU]
      // (1 − u) ⊙ n as the input product i⊙z.
      let beta = betaG * (betaN + biasN) + biasG * betaN
      let gamma = gammaG * (betaN + gammaN + biasN) + (betaG + biasG) * gammaN
      if (biasRelevant(t)) beta += biasG * biasN
      else gamma += biasG * biasN
      // u ⊙ h' as the forget product f⊙c_{t-1}.
      beta += (betaU + biasU) * hPrev.beta[u]
      gamma += (betaU + gammaU + biasU) * hPrev.gamma[u] + gammaU * hPrev.beta[u]
      state.beta[u] = beta
      state.gamma[u] = gamma
    }
    steps.push({ t, cell: state, output: state })
    hPrev = state
  }
  return steps
}

/** One decomposition for the phrase. */
export function refCd(model: RefModel, input: RefInput, options: RefCdOptions): RefCdResult {
  const x = embed(model, input)
  const T = x.length
  const [start, stop] = options.phrase
  if (!(Number.isInteger(start) && Number.isInteger(stop) && start >= 0 && start < stop && stop <= T)) throw new Error(`bad phrase [${start}, ${stop})`)
  const inPhrase = (t: number): boolean => t >= start && t < stop
  // reference: every phrase step but the last; inclusive: every phrase step.
  const lastBiasStep = options.convention === 'reference' ? stop - 1 : stop
  const biasRelevant = (t: number): boolean => t >= start && t < lastBiasStep

  let inputs: Split[] = x.map((row, t) => (inPhrase(t) ? { beta: [...row], gamma: zeros(row.length) } : { beta: zeros(row.length), gamma: [...row] }))
  const layers: CdLayer[] = []
  for (const layer of model.layers) {
    const H = layer.hiddenSize
    const { cell } = layer
    const direction = (dir: RefDirection, backward: boolean): CdStep[] =>
      isGruCell(cell) ? decomposeGruDirection(cell, dir, H, inputs, backward, biasRelevant) : decomposeDirection(cell, dir, H, inputs, backward, biasRelevant)
    const fwd = direction(layer.fwd, false)
    const bwd = layer.bwd ? direction(layer.bwd, true) : undefined
    const outputs = Array.from({ length: T }, (_, t): Split => {
      const back = bwd ? bwd[T - 1 - t].output : { beta: [], gamma: [] }
      return { beta: [...fwd[t].output.beta, ...back.beta], gamma: [...fwd[t].output.gamma, ...back.gamma] }
    })
    layers.push({ fwd, ...(bwd ? { bwd } : {}), outputs })
    inputs = outputs
  }

  const top = layers[layers.length - 1]
  const headInputs: Split[] =
    model.head.readout === 'last'
      ? [
          {
            beta: [...top.fwd[T - 1].output.beta, ...(top.bwd ? top.bwd[T - 1].output.beta : [])],
            gamma: [...top.fwd[T - 1].output.gamma, ...(top.bwd ? top.bwd[T - 1].output.gamma : [])],
          },
        ]
      : top.outputs
  const head = (v: number[]): number[] => model.head.weight.map((w) => w.reduce((acc, wj, j) => acc + wj * v[j], 0))
  const relevantScores = headInputs.map((v) => head(v.beta))
  const irrelevantScores = headInputs.map((v) => head(v.gamma))
  const biasRows = headInputs.map(() => model.head.bias ?? zeros(model.head.weight.length))
  return {
    layers,
    relevantScores,
    irrelevantScores,
    relevant: weightedSum(options.targetWeights, relevantScores),
    irrelevant: weightedSum(options.targetWeights, irrelevantScores),
    bias: weightedSum(options.targetWeights, biasRows),
  }
}

/** The relevant score of each one-step phrase {t}. */
export function refCdPerStep(model: RefModel, input: RefInput, targetWeights: number[][], convention: CdConvention): number[] {
  const T = refForward(model, input).x.length
  return Array.from({ length: T }, (_, t) => refCd(model, input, { phrase: [t, t + 1], convention, targetWeights }).relevant)
}
