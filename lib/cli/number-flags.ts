/**
 * Numeric flags are plain decimals: Number() alone would read '0x10' as 16, '' and ' ' as 0 and
 * 'Infinity' as a number, so a typo would silently change an experiment.
 */
import { excerpt } from '../describe-value.js'
import { UsageError } from './usage.js'

/** A plain decimal number, for flags and CSV cells. One optional fraction group, so a long run of digits has one way to match (no quadratic backtracking). */
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const INTEGER = /^[+-]?\d+$/

/** A decimal number such as 0.5, -3 or 1e-3 (its range is the library's to check). */
export function numberFlag(value: string, flag: string): number {
  const number = Number(value)
  if (!DECIMAL.test(value) || !Number.isFinite(number)) throw new UsageError(`${flag} must be a decimal number; got '${excerpt(value)}'`)
  return number
}

/** A whole decimal number such as 3 or -1 (no fraction, exponent or hex), at least `minimum`. */
export function integerFlag(value: string, flag: string, minimum = -Infinity): number {
  const number = Number(value)
  if (!INTEGER.test(value) || !Number.isSafeInteger(number)) throw new UsageError(`${flag} must be a whole decimal number; got '${excerpt(value)}'`)
  if (number < minimum) throw new UsageError(`${flag} must be an integer >= ${minimum}; got ${value}`)
  return number
}
