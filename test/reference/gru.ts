// Float64 GRU forward pass of one direction, transcribed from docs/METHODS.md "GRU layers".
import { sigmoid } from './activations.js'
import { GRU_BLOCKS, type GruBlock, type RefDirection, type RefGruCell } from './model.js'

/** Everything one GRU step computed; vectors have length H. */
export interface GruStepCache {
  /** The time index (0-based) this step reads. */
  t: number
  x: number[]
  /** h' = the previous state. */
  yPrev: number[]
  /** Pre-activations of the reset and update gates. */
  preR: number[]
  preU: number[]
  r: number[]
  u: number[]
  /** resetAfter only (else empty): q = U_n h' + b_hn and the reset product s = r ⊙ q. */
  q: number[]
  s: number[]
  /** Without resetAfter only (else empty): the reset products r_k h'_k. */
  resetProducts: number[]
  /** a, n = tanh(a) */
  a: number[]
  n: number[]
  /** The two summands of h: (1 − u) ⊙ n and u ⊙ h'. */
  pN: number[]
  pH: number[]
  y: number[]
}

export interface GruDirectionCache {
  steps: GruStepCache[]
}

const row = (block: GruBlock, unit: number, H: number): number => GRU_BLOCKS.indexOf(block) * H + unit

/** W_k x over every input. */
function inputTerm(dir: RefDirection, block: GruBlock, unit: number, H: number, x: number[]): number {
  const w = dir.W[row(block, unit, H)]
  let total = 0
  for (let j = 0; j < x.length; j++) total += w[j] * x[j]
  return total
}

/** U_k v over every unit of the previous state (or of r ⊙ h'). */
function recurrentTerm(dir: RefDirection, block: GruBlock, unit: number, H: number, v: number[]): number {
  const w = dir.U[row(block, unit, H)]
  let total = 0
  for (let j = 0; j < H; j++) total += w[j] * v[j]
  return total
}

const biasOf = (dir: RefDirection, block: GruBlock, unit: number, H: number): number => dir.b[row(block, unit, H)]

export function runGruDirection(cell: RefGruCell, dir: RefDirection, H: number, inputs: number[][], backward: boolean): GruDirectionCache {
  const T = inputs.length
  if (cell.resetAfter && dir.bHn?.length !== H) throw new Error(`a GRU layer with resetAfter needs b_hn of length ${H}`)
  const units = (f: (k: number) => number): number[] => Array.from({ length: H }, (_, k) => f(k))
  const steps: GruStepCache[] = []
  let yPrev = new Array<number>(H).fill(0)
  for (let step = 0; step < T; step++) {
    const t = backward ? T - 1 - step : step
    const x = inputs[t]
    const hPrev = yPrev
    const preR = units((k) => inputTerm(dir, 'r', k, H, x) + recurrentTerm(dir, 'r', k, H, hPrev) + biasOf(dir, 'r', k, H))
    const preU = units((k) => inputTerm(dir, 'u', k, H, x) + recurrentTerm(dir, 'u', k, H, hPrev) + biasOf(dir, 'u', k, H))
    const r = preR.map(sigmoid)
    const u = preU.map(sigmoid)
    let q: number[] = []
    let s: number[] = []
    let resetProducts: number[] = []
    let a: number[]
    if (cell.resetAfter) {
      const bHn = dir.bHn as number[]
      q = units((k) => recurrentTerm(dir, 'n', k, H, hPrev) + bHn[k])
      s = q.map((v, k) => r[k] * v)
      a = units((k) => inputTerm(dir, 'n', k, H, x) + biasOf(dir, 'n', k, H) + s[k])
    } else {
      const products = hPrev.map((v, k) => r[k] * v)
      resetProducts = products
      a = units((k) => inputTerm(dir, 'n', k, H, x) + recurrentTerm(dir, 'n', k, H, products) + biasOf(dir, 'n', k, H))
    }
    const n = a.map(Math.tanh)
    const pN = n.map((v, k) => (1 - u[k]) * v)
    const pH = hPrev.map((v, k) => u[k] * v)
    const y = pN.map((v, k) => v + pH[k])
    steps.push({ t, x, yPrev: hPrev, preR, preU, r, u, q, s, resetProducts, a, n, pN, pH, y })
    yPrev = y
  }
  return { steps }
}
