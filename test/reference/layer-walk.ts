// The backward walk gradient and LRP share: from the head's inputs down through the layers.
import type { DirectionCache, ForwardResult } from './forward.js'
import { layerOutputSize, type RefCell, type RefDirection, type RefModel } from './model.js'

/** One direction's step back: its slice of the signal on the layer's outputs (T x H) → a signal on the layer's inputs (T x I). */
export type DirectionStep = (cell: RefCell, dir: RefDirection, H: number, cache: DirectionCache, above: number[][]) => number[][]

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
export function downThroughLayers(model: RefModel, forward: ForwardResult, top: number[][], step: DirectionStep): number[][] {
  let above = top
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l]
    const cache = forward.layers[l]
    const H = layer.hiddenSize
    const below = Array.from({ length: above.length }, () => new Array<number>(cache.inputs[0].length).fill(0))
    const directions: [RefDirection, DirectionCache, number][] = [[layer.fwd, cache.fwd, 0]]
    if (layer.bwd && cache.bwd) directions.push([layer.bwd, cache.bwd, H])
    for (const [dir, dirCache, offset] of directions) {
      const dx = step(
        layer.cell,
        dir,
        H,
        dirCache,
        above.map((row) => row.slice(offset, offset + H)),
      )
      dx.forEach((row, t) => row.forEach((value, j) => (below[t][j] += value)))
    }
    above = below
  }
  return above
}
