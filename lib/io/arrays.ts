/** Small array helpers the importers share: the tensors they handle are at most a few matrices. */
import type { DType, FloatArray } from '../model/types.js'

export function arrayOf(dtype: DType, length: number): FloatArray {
  return dtype === 'f64' ? new Float64Array(length) : new Float32Array(length)
}

export function convertArray(data: ArrayLike<number>, dtype: DType): FloatArray {
  return dtype === 'f64' ? Float64Array.from(data) : Float32Array.from(data)
}

/** A row-major [rows, columns] matrix transposed to [columns, rows]. */
export function transpose(data: FloatArray, rows: number, columns: number): FloatArray {
  const out = new (data.constructor as { new (length: number): FloatArray })(data.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = data[r * columns + c]
  return out
}

export function sum(a: FloatArray, b: FloatArray): FloatArray {
  return a.map((value, index) => value + b[index])
}
