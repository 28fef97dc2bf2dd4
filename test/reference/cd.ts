// Float64 Contextual Decomposition, a transcription of docs/METHODS.md "Contextual Decomposition":
// Murdoch et al.'s algorithm (see cd-murdoch.ts for the published one-layer code) generalised to
// every cell configuration, bidirectional and stacked layers and both readouts.
// Like the published code, and unlike the kernel (which propagates β alone and takes γ as the
// true value minus β), this propagates β and γ separately, so β + γ = the true state is a
// property to test here rather than a construction.
import { cellInputActivation, cellOutputActivation, embed, refForward, sigmoid, timeAt, weightedSum } from './forward.js'
import { BLOCKS, blockPresent, isGruCell, type Block, type RefCell, type RefDirection, type RefInput, type RefModel } from './model.js'

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
    // docs/METHODS.md "GRU layers": CD is not defined for them in this round.
    if (isGruCell(cell)) throw new Error('Contextual Decomposition is not defined for GRU layers')
    const fwd = decomposeDirection(cell, layer.fwd, H, inputs, false, biasRelevant)
    const bwd = layer.bwd ? decomposeDirection(cell, layer.bwd, H, inputs, true, biasRelevant) : undefined
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
