// The two LRP rules every cell type uses (docs/METHODS.md "LRP"): the epsilon rule of a linear map
// and the product rules of a gated product, each booking what it absorbs.

export type Rule = 'all' | 'prop' | 'abs' | 'half'

/** Where relevance left the network other than through the inputs. */
export interface AbsorbedBreakdown {
  head: number
  gateMaps: number
  accumulation: number
  products: number
  /** Whole R_k (or R_p) dropped because a denominator was exactly 0. */
  zeroDenominators: number
}

/** sign with sign(0) = +1 */
export const sign = (v: number): number => (v >= 0 ? 1 : -1)
export const zeros = (n: number): number[] => new Array<number>(n).fill(0)
export const sum = (v: number[]): number => v.reduce((acc, x) => acc + x, 0)

export type MapKind = 'head' | 'gateMaps' | 'accumulation'

export interface Stabiliser {
  eps: number
  biasFactor: number
}

/**
 * Epsilon rule for z_k = Σ_j a_j w[k][j] + b_k, where w[k] lists only the N
 * connected inputs:
 *   R_j = Σ_k a_j w_jk / d_k · R_k + biasFactor · Σ_k (b_k + ε sign z_k) / d_k · R_k / N,
 * d_k = z_k + ε sign z_k. The rest of (b_k + ε sign z_k)/d_k · R_k is absorbed.
 */
export function epsilonRule(a: number[], w: number[][], b: number[], R: number[], stab: Stabiliser, kind: MapKind, absorbed: AbsorbedBreakdown): number[] {
  const N = a.length
  const Rin = zeros(N)
  for (let k = 0; k < R.length; k++) {
    let z = b[k]
    for (let j = 0; j < N; j++) z += a[j] * w[k][j]
    const stabiliser = stab.eps * sign(z)
    const d = z + stabiliser
    if (d === 0) {
      absorbed.zeroDenominators += R[k]
      continue
    }
    if (N === 0) {
      absorbed[kind] += R[k] // a map with no inputs keeps everything
      continue
    }
    const s = R[k] / d
    const messages = a.map((aj, j) => aj * w[k][j] * s)
    const biasShare = (b[k] + stabiliser) * s
    for (let j = 0; j < N; j++) Rin[j] += messages[j] + (stab.biasFactor * biasShare) / N
    absorbed[kind] += (1 - stab.biasFactor) * biasShare
  }
  return Rin
}

/** Table of METHODS.md "Gated products": split R_p of p = gate · signal. */
export function gatedProduct(rule: Rule, epsP: number, zGate: number, zSignal: number, Rp: number, absorbed: AbsorbedBreakdown): { gate: number; signal: number } {
  switch (rule) {
    case 'all':
      return { gate: 0, signal: Rp }
    case 'half':
      return { gate: Rp / 2, signal: Rp / 2 }
    case 'prop': {
      const stabiliser = epsP * sign(zGate + zSignal)
      const d = zGate + zSignal + stabiliser
      if (d === 0) {
        absorbed.zeroDenominators += Rp
        return { gate: 0, signal: 0 }
      }
      absorbed.products += (stabiliser / d) * Rp
      return { gate: (zGate / d) * Rp, signal: (zSignal / d) * Rp }
    }
    case 'abs': {
      const d = Math.abs(zGate) + Math.abs(zSignal) + epsP
      if (d === 0) {
        absorbed.zeroDenominators += Rp
        return { gate: 0, signal: 0 }
      }
      absorbed.products += (epsP / d) * Rp
      return { gate: (Math.abs(zGate) / d) * Rp, signal: (Math.abs(zSignal) / d) * Rp }
    }
  }
}
