// The backward walk gradient and LRP share: from the head's inputs down through the layers.
import type { DirectionCache, ForwardResult } from './forward.js'
import type { GruDirectionCache } from './gru.js'
import { isGruCell, layerOutputSize, type RefCell, type RefDirection, type RefGruCell, type RefModel } from './model.js'

/** One direction's step back: its slice of the signal on the layer's outputs (T x H) → a signal on the layer's inputs (T x I). */
export type DirectionStep<Cell = RefCell, Cache = DirectionCache> = (cell: Cell, dir: RefDirection, H: number, cache: Cache, above: number[][]) => number[][]

/** The step back of each cell type. */
export interface DirectionSteps {
  lstm: DirectionStep
  gru: DirectionStep<RefGruCell, GruDirectionCache>
}

/**
 * The signal on the top layer's outputs (T x D_top) that score row r's head input j (a value of
 * the head's vector v) lands on: row r's own step for readout 'each'; for 'last', v = [y_fwd(T−1);
 * y_bwd(0)], so the forward half at the last step and the backward half at the first.
 */
export function signalAtHeadInputs(model: RefModel, T: number, rows: number[][]): number[][] {
  const top = model.layers[model.layers.length - 1]
  const signal = Array.from({ length: T }, () => new Array<number>(layerOutputSize(top)).fill(0))
  rows.forEach((row, r) =>
    row.forEach((value, j) => {
      const t = model.head.readout === 'each' ? r : j < top.hiddenSize ? T - 1 : 0
      signal[t][j] += value
    }),
  )
  return signal
}

/** Carries a signal on the top layer's outputs down to the first layer's inputs; a layer's directions add up. */
export function downThroughLayers(model: RefModel, forward: ForwardResult, top: number[][], steps: DirectionSteps): number[][] {
  let above = top
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l]
    const cache = forward.layers[l]
    const H = layer.hiddenSize
    const below = Array.from({ length: above.length }, () => new Array<number>(cache.inputs[0].length).fill(0))
    const slice = (offset: number) => above.map((row) => row.slice(offset, offset + H))
    const { cell } = layer
    const directions: number[][][] = []
    if (cache.cell === 'gru' && isGruCell(cell)) {
      directions.push(steps.gru(cell, layer.fwd, H, cache.fwd, slice(0)))
      if (layer.bwd && cache.bwd) directions.push(steps.gru(cell, layer.bwd, H, cache.bwd, slice(H)))
    } else if (cache.cell === 'lstm' && !isGruCell(cell)) {
      directions.push(steps.lstm(cell, layer.fwd, H, cache.fwd, slice(0)))
      if (layer.bwd && cache.bwd) directions.push(steps.lstm(cell, layer.bwd, H, cache.bwd, slice(H)))
    } else throw new Error(`layer ${l}: the forward cache does not match the cell type`)
    for (const dx of directions) dx.forEach((row, t) => row.forEach((value, j) => (below[t][j] += value)))
    above = below
  }
  return above
}
