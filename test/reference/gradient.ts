// ∂f/∂x by hand-written backpropagation through time, f = Σ w ⊙ scores.
import { refForward, sigmoid, type DirectionCache } from './forward.js'
import { backpropGruDirection } from './gru-gradient.js'
import { downThroughLayers, signalAtHeadInputs } from './layer-walk.js'
import { BLOCKS, blockPresent, layerOutputSize, type RefCell, type RefDirection, type RefInput, type RefModel } from './model.js'

const zeros = (n: number): number[] => new Array<number>(n).fill(0)

/** d(gScale·g(a))/da; relu'(0) is taken as 0. */
function cellInputSlope(cell: RefCell, a: number): number {
  switch (cell.g) {
    case 'tanh':
      return cell.gScale * (1 - Math.tanh(a) ** 2)
    case 'sigmoid':
      return cell.gScale * sigmoid(a) * (1 - sigmoid(a))
    case 'relu':
      return a > 0 ? cell.gScale : 0
    case 'identity':
      return cell.gScale
  }
}

/** d(hScale·h(c))/dc */
function cellOutputSlope(cell: RefCell, c: number): number {
  return cell.hScale * (cell.h === 'tanh' ? 1 - Math.tanh(c) ** 2 : 1)
}

/** Backprop one direction; dyAbove is by time (T x H), the result by time (T x I). */
function backpropDirection(cell: RefCell, dir: RefDirection, H: number, cache: DirectionCache, dyAbove: number[][]): number[][] {
  const T = cache.steps.length
  const I = cache.steps[0].x.length
  const dx = Array.from({ length: T }, () => zeros(I))
  let dyNext = zeros(H)
  let dcNext = zeros(H)
  for (let s = T - 1; s >= 0; s--) {
    const step = cache.steps[s]
    const { act, pre } = step
    const dPre = { z: zeros(H), i: zeros(H), f: zeros(H), o: zeros(H) }
    const dcPrev = zeros(H)
    for (let u = 0; u < H; u++) {
      const dy = dyAbove[step.t][u] + dyNext[u]
      // y = o · hc
      const dc = dcNext[u] + dy * act.o[u] * cellOutputSlope(cell, step.c[u])
      // c = i · z + f · cPrev
      dPre.z[u] = dc * act.i[u] * cellInputSlope(cell, (pre.z as number[])[u])
      if (pre.i) dPre.i[u] = dc * act.z[u] * act.i[u] * (1 - act.i[u])
      if (pre.f) dPre.f[u] = dc * step.cPrev[u] * act.f[u] * (1 - act.f[u])
      if (pre.o) dPre.o[u] = dy * step.hc[u] * act.o[u] * (1 - act.o[u])
      dcPrev[u] = dc * act.f[u]
    }
    const dyPrev = zeros(H)
    for (const k of BLOCKS) {
      if (!blockPresent(cell, k)) continue
      const conn = cell.connections[k]
      const offset = BLOCKS.indexOf(k) * H
      for (let u = 0; u < H; u++) {
        const g = dPre[k][u]
        if (conn.input) for (let j = 0; j < I; j++) dx[step.t][j] += dir.W[offset + u][j] * g
        if (conn.recurrent) for (let j = 0; j < H; j++) dyPrev[j] += dir.U[offset + u][j] * g
      }
    }
    dyNext = dyPrev
    dcNext = dcPrev
  }
  return dx
}

/** ∂f/∂x (T x inputSize), x the embedded vectors when the model has an embedding. */
export function refGradient(model: RefModel, input: RefInput, targetWeights: number[][]): number[][] {
  const forward = refForward(model, input)
  const T = forward.x.length
  const top = model.layers[model.layers.length - 1]
  const { weight } = model.head
  if (targetWeights.length !== forward.scores.length) throw new Error('targetWeights must have the shape of the scores')

  // ∂f/∂v = W_headᵀ w per score row, routed to the outputs it was read from
  const dV = targetWeights.map((w) =>
    Array.from({ length: layerOutputSize(top) }, (_, j) => {
      let dv = 0
      for (let k = 0; k < weight.length; k++) dv += weight[k][j] * w[k]
      return dv
    }),
  )
  return downThroughLayers(model, forward, signalAtHeadInputs(model, T, dV), { lstm: backpropDirection, gru: backpropGruDirection })
}

/** Relevance of the gradient methods: `gradient` g², `gradientXInput` x ⊙ g. */
export function refGradientMethods(model: RefModel, input: RefInput, targetWeights: number[][]): { gradient: number[][]; gradientXInput: number[][] } {
  const x = refForward(model, input).x
  const g = refGradient(model, input, targetWeights)
  return {
    gradient: g.map((row) => row.map((v) => v * v)),
    gradientXInput: g.map((row, t) => row.map((v, j) => x[t][j] * v)),
  }
}
