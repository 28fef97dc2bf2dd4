// Seeded random models and sequences for reference tests.
import { isGruCell, layerOutputSize, type RefDirection, type RefLayer, type RefLayerCell, type RefModel } from './model.js'

/** mulberry32: a small, well-known 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Uniform in (−scale, scale), never exactly 0, so ignored blocks are visibly nonzero. */
function uniformNonzero(next: () => number, scale: number): number {
  for (;;) {
    const v = (2 * next() - 1) * scale
    if (v !== 0) return v
  }
}

const matrix = (next: () => number, rows: number, cols: number, scale: number): number[][] => Array.from({ length: rows }, () => Array.from({ length: cols }, () => uniformNonzero(next, scale)))

export interface RefArchitecture {
  inputSize: number
  vocabSize?: number
  layers: { hiddenSize: number; bidirectional: boolean; cell: RefLayerCell }[]
  outputs: number
  headBias: boolean
  readout: 'last' | 'each'
  /** Weights uniform in ±weightScale (default 0.5). */
  weightScale?: number
  zeroBiases?: boolean
}

/**
 * Every weight block is filled, including those of absent gates and switched-off
 * connections: an implementation must ignore them, and zeros would hide that.
 */
export function randomRefModel(seed: number, arch: RefArchitecture): RefModel {
  const next = mulberry32(seed)
  const scale = arch.weightScale ?? 0.5
  const biases = (n: number): number[] => (arch.zeroBiases ? new Array<number>(n).fill(0) : matrix(next, 1, n, scale)[0])
  // an LSTM stacks 4 blocks, a GRU 3 and, resetting after U_n, has b_hn besides
  const direction = (I: number, H: number, cell: RefLayerCell): RefDirection => {
    const rows = (isGruCell(cell) ? 3 : 4) * H
    const weights: RefDirection = { W: matrix(next, rows, I, scale), U: matrix(next, rows, H, scale), b: biases(rows) }
    if (isGruCell(cell) && cell.resetAfter) weights.bHn = biases(H)
    return weights
  }
  const layers: RefLayer[] = []
  let I = arch.inputSize
  for (const spec of arch.layers) {
    const H = spec.hiddenSize
    const layer: RefLayer = { hiddenSize: H, bidirectional: spec.bidirectional, cell: spec.cell, fwd: direction(I, H, spec.cell) }
    if (spec.bidirectional) layer.bwd = direction(I, H, spec.cell)
    layers.push(layer)
    I = layerOutputSize(layer)
  }
  const model: RefModel = {
    inputSize: arch.inputSize,
    layers,
    head: { weight: matrix(next, arch.outputs, I, scale), readout: arch.readout },
  }
  if (arch.headBias) model.head.bias = biases(arch.outputs)
  if (arch.vocabSize !== undefined) model.embedding = matrix(next, arch.vocabSize, arch.inputSize, scale)
  return model
}

/** T x inputSize, uniform in (−1, 1). */
export function randomSequence(seed: number, T: number, inputSize: number): number[][] {
  return matrix(mulberry32(seed), T, inputSize, 1)
}
