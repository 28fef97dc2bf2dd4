// Bit-for-bit comparison of explanations, usable from ava tests and from fast-check properties alike.
import { isDeepStrictEqual } from 'node:util'
import type { ExecutionContext } from 'ava'
import type { Explanation } from '../../lib/index.js'

function firstDifferentValue(actual: ArrayLike<number>, expected: ArrayLike<number>): string | null {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`
  for (let k = 0; k < expected.length; k++) if (!Object.is(actual[k], expected[k])) return `element ${k} is ${actual[k]}, expected ${expected[k]}`
  return null
}

/** Where two explanations differ (Object.is on every number), or null when they are identical. */
export function explanationDifference(actual: Explanation, expected: Explanation): string | null {
  for (const key of ['method', 'steps', 'features', 'target', 'conservation', 'decomposition', 'completeness'] as const)
    if (!isDeepStrictEqual(actual[key], expected[key])) return `${key}: ${JSON.stringify(actual[key])}, expected ${JSON.stringify(expected[key])}`
  for (const key of ['scores', 'relevance', 'perStep'] as const) {
    const difference = firstDifferentValue(actual[key], expected[key])
    if (difference !== null) return `${key}: ${difference}`
  }
  return null
}

/** The first difference between two lists of explanations, naming the item, or null. */
export function explanationsDifference(actual: Explanation[], expected: Explanation[]): string | null {
  if (actual.length !== expected.length) return `${actual.length} explanations, expected ${expected.length}`
  for (let n = 0; n < expected.length; n++) {
    const difference = explanationDifference(actual[n], expected[n])
    if (difference !== null) return `item ${n}: ${difference}`
  }
  return null
}

/** Asserts the two arrays hold the same numbers, bit for bit (Object.is: -0 is not 0, NaN is NaN). */
export function sameBits(t: ExecutionContext, actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  t.is(firstDifferentValue(actual, expected), null, what)
}

/** Asserts two explanations are identical, bit for bit. */
export function sameExplanation(t: ExecutionContext, actual: Explanation, expected: Explanation, what: string): void {
  t.is(explanationDifference(actual, expected), null, what)
}

/** Asserts two lists of explanations are identical, bit for bit. */
export function sameExplanations(t: ExecutionContext, actual: Explanation[], expected: Explanation[], what: string): void {
  t.is(explanationsDifference(actual, expected), null, what)
}
