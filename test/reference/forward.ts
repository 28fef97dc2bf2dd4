// Float64 forward pass, transcribed from docs/METHODS.md "Forward pass".
import { sigmoid } from './activations.js'
import { runGruDirection, type GruDirectionCache } from './gru.js'
import { BLOCKS, blockPresent, isGruCell, layerInputSize, type Block, type RefCell, type RefDirection, type RefInput, type RefModel } from './model.js'

export { sigmoid }

/** z = gScale·g(a) */
export function cellInputActivation(cell: RefCell, a: number): number {
  const g = cell.g === 'tanh' ? Math.tanh(a) : cell.g === 'sigmoid' ? sigmoid(a) : cell.g === 'relu' ? Math.max(0, a) : a
  return cell.gScale * g
}

/** hScale·h(c) */
export function cellOutputActivation(cell: RefCell, c: number): number {
  return cell.hScale * (cell.h === 'tanh' ? Math.tanh(c) : c)
}

/** Everything one step of one direction computed; vectors have length H. */
export interface StepCache {
  /** The time index (0-based) this step reads. */
  t: number
  x: number[]
  yPrev: number[]
  cPrev: number[]
  /** Pre-activations a^k; null for an absent gate. */
  pre: Record<Block, number[] | null>
  /** Block outputs z, i, f, o (an absent gate is all ones). */
  act: Record<Block, number[]>
  /** The two summands of c: i⊙z and f⊙c_{t-1}. */
  pIn: number[]
  pF: number[]
  c: number[]
  /** hScale·h(c) */
  hc: number[]
  y: number[]
}

/** Steps in processing order: t = 0..T-1 forward, T-1..0 backward. */
export interface DirectionCache {
  steps: StepCache[]
}

interface LayerCacheBase {
  /** T x I_l, by time */
  inputs: number[][]
  /** T x D_l, by time: [y_fwd(t); y_bwd(t)] */
  outputs: number[][]
}

export interface LstmLayerCache extends LayerCacheBase {
  cell: 'lstm'
  fwd: DirectionCache
  bwd?: DirectionCache
}

export interface GruLayerCache extends LayerCacheBase {
  cell: 'gru'
  fwd: GruDirectionCache
  bwd?: GruDirectionCache
}

export type LayerCache = LstmLayerCache | GruLayerCache

export interface ForwardResult {
  /** One row for readout `last`, T rows for `each`. */
  scores: number[][]
  /** The (embedded) input vectors, T x inputSize. */
  x: number[][]
  layers: LayerCache[]
  /** The vectors v the head reads, one per score row. */
  headInputs: number[][]
}

export function embed(model: RefModel, input: RefInput): number[][] {
  if ('x' in input) return input.x.map((row) => [...row])
  const table = model.embedding
  if (!table) throw new Error('token input needs a model with an embedding')
  return input.tokens.map((id) => {
    const row = table[id]
    if (!row) throw new Error(`token id ${id} outside the vocabulary`)
    return [...row]
  })
}

/** Time index read at processing step s of a direction over T steps. */
export function timeAt(backward: boolean, s: number, T: number): number {
  return backward ? T - 1 - s : s
}

/** a^k = W_k x + U_k yPrev + b_k over the switched-on connections only. */
export function preActivation(cell: RefCell, dir: RefDirection, block: Block, unit: number, H: number, x: number[], yPrev: number[]): number {
  const row = BLOCKS.indexOf(block) * H + unit
  const conn = cell.connections[block]
  let a = dir.b[row]
  if (conn.input) for (let j = 0; j < x.length; j++) a += dir.W[row][j] * x[j]
  if (conn.recurrent) for (let j = 0; j < H; j++) a += dir.U[row][j] * yPrev[j]
  return a
}

function runDirection(cell: RefCell, dir: RefDirection, H: number, inputs: number[][], backward: boolean): DirectionCache {
  const T = inputs.length
  const steps: StepCache[] = []
  let yPrev = new Array<number>(H).fill(0)
  let cPrev = new Array<number>(H).fill(0)
  for (let s = 0; s < T; s++) {
    const t = timeAt(backward, s, T)
    const x = inputs[t]
    const pre = {} as Record<Block, number[] | null>
    const act = {} as Record<Block, number[]>
    for (const k of BLOCKS) {
      if (!blockPresent(cell, k)) {
        pre[k] = null
        act[k] = new Array<number>(H).fill(1)
        continue
      }
      const a = Array.from({ length: H }, (_, u) => preActivation(cell, dir, k, u, H, x, yPrev))
      pre[k] = a
      act[k] = a.map((v) => (k === 'z' ? cellInputActivation(cell, v) : sigmoid(v)))
    }
    const pIn = act.z.map((z, u) => act.i[u] * z)
    const pF = cPrev.map((cp, u) => act.f[u] * cp)
    const c = pIn.map((p, u) => p + pF[u])
    const hc = c.map((v) => cellOutputActivation(cell, v))
    const y = hc.map((v, u) => act.o[u] * v)
    steps.push({ t, x, yPrev, cPrev, pre, act, pIn, pF, c, hc, y })
    yPrev = y
    cPrev = c
  }
  return { steps }
}

export function refForward(model: RefModel, input: RefInput): ForwardResult {
  const x = embed(model, input)
  const T = x.length
  if (T === 0) throw new Error('empty sequence')
  const layers: LayerCache[] = []
  let inputs = x
  model.layers.forEach((layer, l) => {
    const I = layerInputSize(model, l)
    if (inputs.some((row) => row.length !== I)) throw new Error(`layer ${l} expects inputs of width ${I}`)
    const H = layer.hiddenSize
    if (layer.bidirectional && !layer.bwd) throw new Error(`layer ${l} is bidirectional but has no bwd weights`)
    const bwdWeights = layer.bidirectional ? layer.bwd : undefined
    const outputsOf = (fwd: { steps: { y: number[] }[] }, bwd?: { steps: { y: number[] }[] }) => Array.from({ length: T }, (_, t) => [...fwd.steps[t].y, ...(bwd ? bwd.steps[T - 1 - t].y : [])])
    const { cell } = layer
    if (isGruCell(cell)) {
      const fwd = runGruDirection(cell, layer.fwd, H, inputs, false)
      const bwd = bwdWeights && runGruDirection(cell, bwdWeights, H, inputs, true)
      layers.push({ cell: 'gru', inputs, fwd, ...(bwd ? { bwd } : {}), outputs: outputsOf(fwd, bwd) })
    } else {
      const fwd = runDirection(cell, layer.fwd, H, inputs, false)
      const bwd = bwdWeights && runDirection(cell, bwdWeights, H, inputs, true)
      layers.push({ cell: 'lstm', inputs, fwd, ...(bwd ? { bwd } : {}), outputs: outputsOf(fwd, bwd) })
    }
    inputs = layers[l].outputs
  })

  const top = layers[layers.length - 1]
  // readout `last`: the final state of each direction, [y_fwd(T); y_bwd(1)]
  const headInputs = model.head.readout === 'last' ? [[...top.fwd.steps[T - 1].y, ...(top.bwd ? top.bwd.steps[T - 1].y : [])]] : top.outputs.map((row) => [...row])
  const { weight, bias } = model.head
  const scores = headInputs.map((v) =>
    weight.map((w, k) => {
      let score = bias ? bias[k] : 0
      for (let j = 0; j < v.length; j++) score += w[j] * v[j]
      return score
    }),
  )
  return { scores, x, layers, headInputs }
}

/** F = Σ w ⊙ scores */
export function weightedSum(weights: number[][], values: number[][]): number {
  if (weights.length !== values.length) throw new Error('target weights and scores differ in rows')
  let total = 0
  values.forEach((row, r) => {
    if (weights[r].length !== row.length) throw new Error('target weights and scores differ in columns')
    row.forEach((v, k) => (total += weights[r][k] * v))
  })
  return total
}
