/**
 * One layout of a kernel call's outputs in one region of memory, for the calling thread and the
 * WASM workers alike: the float64 reports first and the int32 classes last, so every view is
 * aligned.
 */
import type { KernelExplainOutputs } from './types.js'

/** The lengths of a call's output arrays. */
export type ExplainOutputSizes = Record<keyof KernelExplainOutputs, number>

/** Bytes of a call's outputs in one region; `double`: the floats are f64. */
export function explainOutputBytes(sizes: ExplainOutputSizes, double: boolean): number {
  return sizes.conservation * 8 + (sizes.scores + sizes.relevance + sizes.perStep) * (double ? 8 : 4) + sizes.targets * 4
}

/** A call's output arrays as views of the region of explainOutputBytes bytes at `offset` of `buffer`. */
export function explainOutputViews(buffer: ArrayBuffer, offset: number, sizes: ExplainOutputSizes, double: boolean): KernelExplainOutputs {
  const Float = double ? Float64Array : Float32Array
  const conservation = new Float64Array(buffer, offset, sizes.conservation)
  let at = offset + conservation.byteLength
  const [scores, relevance, perStep] = [sizes.scores, sizes.relevance, sizes.perStep].map((length) => {
    const view = new Float(buffer, at, length)
    at += view.byteLength
    return view
  })
  return { conservation, scores, relevance, perStep, targets: new Int32Array(buffer, at, sizes.targets) }
}

/** Takes out of `buffers` the smallest of at least `bytes` bytes, if there is one. */
export function takeSmallestFitting(buffers: ArrayBuffer[], bytes: number): ArrayBuffer | undefined {
  let best = -1
  buffers.forEach((buffer, n) => {
    if (buffer.byteLength >= bytes && (best < 0 || buffer.byteLength < buffers[best].byteLength)) best = n
  })
  return best < 0 ? undefined : buffers.splice(best, 1)[0]
}
