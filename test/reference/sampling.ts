// Shapley values (sampled and exact), KernelSHAP and LIME per docs/METHODS.md § Sampling methods, in
// float64: v(S) from the reference forward pass on the changed sequence, the draws from mulberry32.
import { embed, refForward, weightedSum } from './forward.js'
import type { RefInput, RefModel } from './model.js'
import { mulberry32 } from './random.js'

export interface RefRemoval {
  score: 'logit' | 'prob'
  /** zero vector, deletion of the removed steps, or a caller vector of width inputSize */
  replacement: 'zero' | 'delete' | number[]
}

export interface RefSteps {
  perStep: number[]
  relevance: number[][]
  /** v(all) − v(∅); Shapley values and KernelSHAP only */
  difference: number
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row)
  const exps = row.map((v) => Math.exp(v - max))
  const total = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / total)
}

/** v(S) for S given as a kept flag per step. */
export function coalitionValue(model: RefModel, input: RefInput, targetWeights: number[][], removal: RefRemoval): (kept: boolean[]) => number {
  const x = embed(model, input)
  const I = model.inputSize
  const F = (scores: number[][]): number => weightedSum(targetWeights, removal.score === 'prob' ? scores.map(softmax) : scores)
  return (kept) => {
    if (removal.replacement === 'delete') {
      const left = x.filter((_, t) => kept[t])
      // Nothing left: the head reads the zero initial states, so the scores are its bias.
      if (left.length === 0) return F([model.head.bias ?? new Array<number>(model.head.weight.length).fill(0)])
      return F(refForward(model, { x: left }).scores)
    }
    const replacement = removal.replacement === 'zero' ? new Array<number>(I).fill(0) : removal.replacement
    return F(refForward(model, { x: x.map((row, t) => (kept[t] ? row : [...replacement])) }).scores)
  }
}

/** The uniform draws of METHODS: u, ⌊u n⌋, and Fisher–Yates permutations. */
export class RefGenerator {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  uniform(): number {
    return this.next()
  }
  below(n: number): number {
    return Math.floor(this.next() * n)
  }
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i >= 1; i--) {
      const j = this.below(i + 1)
      ;[p[i], p[j]] = [p[j], p[i]]
    }
    return p
  }
}

function withRelevance(phi: number[], inputSize: number, difference: number): RefSteps {
  return { perStep: phi, relevance: phi.map((value) => new Array<number>(inputSize).fill(value / inputSize)), difference }
}

const keptOf = (T: number, members: Iterable<number>): boolean[] => {
  const kept = new Array<boolean>(T).fill(false)
  for (const t of members) kept[t] = true
  return kept
}

export function refShapleySampled(model: RefModel, input: RefInput, targetWeights: number[][], removal: RefRemoval, samples: number, seed: number): RefSteps {
  const T = embed(model, input).length
  const v = coalitionValue(model, input, targetWeights, removal)
  const full = v(new Array<boolean>(T).fill(true))
  const empty = v(new Array<boolean>(T).fill(false))
  const generator = new RefGenerator(seed)
  const phi = new Array<number>(T).fill(0)
  for (let pair = 0; pair < samples / 2; pair++) {
    const drawn = generator.permutation(T)
    for (const pi of [drawn, [...drawn].reverse()]) {
      let before = empty
      for (let j = 0; j < T; j++) {
        const after = j === T - 1 ? full : v(keptOf(T, pi.slice(0, j + 1)))
        phi[pi[j]] += after - before
        before = after
      }
    }
  }
  return withRelevance(
    phi.map((value) => value / samples),
    model.inputSize,
    full - empty,
  )
}

export function refShapleyExact(model: RefModel, input: RefInput, targetWeights: number[][], removal: RefRemoval): RefSteps {
  const T = embed(model, input).length
  const v = coalitionValue(model, input, targetWeights, removal)
  const values = Array.from({ length: 2 ** T }, (_, c) => v(Array.from({ length: T }, (__, t) => ((c >> t) & 1) === 1)))
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1))
  const phi = new Array<number>(T).fill(0)
  for (let c = 0; c < 2 ** T; c++) {
    let size = 0
    for (let t = 0; t < T; t++) size += (c >> t) & 1
    for (let t = 0; t < T; t++) {
      if (((c >> t) & 1) === 1) continue
      phi[t] += ((factorial(size) * factorial(T - size - 1)) / factorial(T)) * (values[c | (1 << t)] - values[c])
    }
  }
  return withRelevance(phi, model.inputSize, values[2 ** T - 1] - values[0])
}

/** Solves the symmetric positive definite a x = b by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]])
  const largest = Math.max(...m.map((row, i) => Math.abs(row[i])))
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r
    if (Math.abs(m[pivot][col]) <= 1e-10 * largest) return null
    ;[m[col], m[pivot]] = [m[pivot], m[col]]
    for (let r = col + 1; r < n; r++) {
      const factor = m[r][col] / m[col][col]
      for (let k = col; k <= n; k++) m[r][k] -= factor * m[col][k]
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let value = m[r][n]
    for (let k = r + 1; k < n; k++) value -= m[r][k] * x[k]
    x[r] = value / m[r][r]
  }
  return x
}

/** The KernelSHAP coalitions drawn from seed: per sample a size by inverse CDF, then a permutation's first entries. */
export function kernelShapCoalitions(T: number, samples: number, seed: number): boolean[][] {
  const p = Array.from({ length: T - 1 }, (_, k) => (T - 1) / ((k + 1) * (T - k - 1)))
  const total = p.reduce((a, b) => a + b, 0)
  const generator = new RefGenerator(seed)
  return Array.from({ length: samples }, () => {
    const u = generator.uniform()
    let size = 1
    let cumulative = p[0] / total
    while (size < T - 1 && !(u < cumulative)) cumulative += p[size++] / total
    return keptOf(T, generator.permutation(T).slice(0, size))
  })
}

export function refKernelShap(model: RefModel, input: RefInput, targetWeights: number[][], removal: RefRemoval, samples: number, seed: number): RefSteps | null {
  const T = embed(model, input).length
  const v = coalitionValue(model, input, targetWeights, removal)
  const empty = v(new Array<boolean>(T).fill(false))
  const difference = v(new Array<boolean>(T).fill(true)) - empty
  if (T === 1) return withRelevance([difference], model.inputSize, difference)
  // min Σ_k (v(S_k) − v(∅) − z_k·φ)² subject to Σ φ = difference: the KKT system [ZᵀZ 1; 1ᵀ 0].
  const kkt = Array.from({ length: T + 1 }, () => new Array<number>(T + 1).fill(0))
  const rhs = new Array<number>(T + 1).fill(0)
  for (const kept of kernelShapCoalitions(T, samples, seed)) {
    const y = v(kept) - empty
    for (let i = 0; i < T; i++) {
      if (!kept[i]) continue
      rhs[i] += y
      for (let j = 0; j < T; j++) if (kept[j]) kkt[i][j] += 1
    }
  }
  for (let t = 0; t < T; t++) kkt[t][T] = kkt[T][t] = 1
  rhs[T] = difference
  const solution = solve(kkt, rhs)
  return solution === null ? null : withRelevance(solution.slice(0, T), model.inputSize, difference)
}

export interface RefLimeOptions {
  samples: number
  seed: number
  kernelWidth: number
  ridge: number
}

export function refLime(model: RefModel, input: RefInput, targetWeights: number[][], removal: RefRemoval, opts: RefLimeOptions): RefSteps | null {
  const T = embed(model, input).length
  const v = coalitionValue(model, input, targetWeights, removal)
  const generator = new RefGenerator(opts.seed)
  // Unknowns (b, β): Σ_k π_k x_k x_kᵀ + λ diag(0, 1, .., 1) with x_k = (1, z_k).
  const a = Array.from({ length: T + 1 }, () => new Array<number>(T + 1).fill(0))
  const rhs = new Array<number>(T + 1).fill(0)
  for (let k = 0; k < opts.samples; k++) {
    let kept = new Array<boolean>(T).fill(true)
    let weight = 1
    if (k > 0) {
      const removed = 1 + generator.below(Math.max(T - 1, 1))
      kept = new Array<boolean>(T).fill(true)
      for (const t of generator.permutation(T).slice(0, removed)) kept[t] = false
      weight = Math.exp(-((removed / T) ** 2) / opts.kernelWidth ** 2)
    }
    const x = [1, ...kept.map((keep) => (keep ? 1 : 0))]
    const y = v(kept)
    for (let i = 0; i <= T; i++) {
      rhs[i] += weight * x[i] * y
      for (let j = 0; j <= T; j++) a[i][j] += weight * x[i] * x[j]
    }
  }
  for (let t = 1; t <= T; t++) a[t][t] += opts.ridge
  const solution = solve(a, rhs)
  return solution === null ? null : withRelevance(solution.slice(1), model.inputSize, 0)
}
