/**
 * The first non-finite value of one explanation, named as the kernel names it when it checks that
 * sequence alone (native/common/finite_check.h): scores, then input relevance, per-step relevance
 * and the summary. A batch call fails on the first bad sequence of all; this finds each one's own.
 */
import type { Explanation } from './types.js'
import { LstmLrpError } from '../errors.js'

/** std::to_string of a non-finite double: inf, -inf, nan or -nan (the sign bit of a NaN shows). */
function cText(value: number, signBit: boolean): string {
  if (Number.isNaN(value)) return signBit ? '-nan' : 'nan'
  return value > 0 ? 'inf' : '-inf'
}

function signBitAt(array: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; BYTES_PER_ELEMENT: number }, k: number): boolean {
  const last = array.byteOffset + (k + 1) * array.BYTES_PER_ELEMENT - 1
  return (new Uint8Array(array.buffer, last, 1)[0] & 0x80) !== 0
}

type Typed = Float32Array | Float64Array

/** rowsAreSteps: rows are the sequence's steps (named "step t"), else it has one row. */
function firstNonFinite(values: Typed, width: number, rowsAreSteps: boolean, name: string): LstmLrpError | null {
  for (let k = 0; k < values.length; k++) {
    if (Number.isFinite(values[k])) continue
    const where = rowsAreSteps ? `sequence 0, step ${Math.floor(k / width)}` : 'sequence 0'
    return new LstmLrpError('E_NUMERIC', `${where}, column ${k % width}: the ${name} is ${cText(values[k], signBitAt(values, k))}; the weights, inputs, cell scales or eps overflow the arithmetic`)
  }
  return null
}

/** The E_NUMERIC error explaining this sequence alone would raise, or null when every value is finite. */
export function nonFiniteError(explanation: Explanation, conservation: Float64Array, outputs: number, readoutEach: boolean): LstmLrpError | null {
  return (
    firstNonFinite(explanation.scores, outputs, readoutEach, 'score') ??
    firstNonFinite(explanation.relevance, explanation.features, true, 'input relevance') ??
    firstNonFinite(explanation.perStep, 1, true, 'per-step relevance') ??
    firstNonFinite(conservation, conservation.length, false, 'summary (conservation, CD parts or completeness)')
  )
}
