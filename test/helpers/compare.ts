// Closeness of kernel output to the float64 reference, relative to the reference's largest magnitude.
import type { ExecutionContext } from 'ava'

export function maxAbs(values: ArrayLike<number>): number {
  let largest = 0
  for (let k = 0; k < values.length; k++) largest = Math.max(largest, Math.abs(values[k]))
  return largest
}

/** |actual − expected| ≤ tolerance · scale elementwise; scale defaults to the largest |expected|. */
export function assertClose(t: ExecutionContext, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string, scale = Math.max(maxAbs(expected), 1e-12)): void {
  t.is(actual.length, expected.length, `${what}: length`)
  let worst = 0
  let worstAt = -1
  for (let k = 0; k < expected.length; k++) {
    const error = Math.abs(actual[k] - expected[k]) / scale
    if (!(error <= worst)) {
      worst = error
      worstAt = k
    }
  }
  t.true(worst <= tolerance, `${what}: relative error ${worst} at ${worstAt} (got ${actual[worstAt]}, expected ${expected[worstAt]}) exceeds ${tolerance}`)
}

export function assertNear(t: ExecutionContext, actual: number, expected: number, tolerance: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1)
  t.true(Math.abs(actual - expected) <= tolerance * scale, `${what}: got ${actual}, expected ${expected}`)
}

/** |actual − expected| ≤ tolerance · scale (scale at least 1e-12). */
export function near(t: ExecutionContext, actual: number, expected: number, tolerance: number, scale: number, what: string): void {
  t.true(Math.abs(actual - expected) <= tolerance * Math.max(scale, 1e-12), `${what}: got ${actual}, expected ${expected} (tolerance ${tolerance}, scale ${scale})`)
}

export function allFinite(values: ArrayLike<number>): boolean {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return false
  return true
}
