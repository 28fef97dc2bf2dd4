// Writes examples/toy-addition.safetensors: a one-cell standard LSTM with hand-set
// weights that solves the paper's toy addition task approximately
// (docs/REPRODUCTION.md § Table 11.2: fidelity on toy addition and subtraction), and
// examples/toy-addition.jsonl with sequences to explain. Run: npx tsx examples/make-toy-addition.ts
//
// Step t carries (n_t, 0), or (0, n_t) at the two relevant positions. The cell input
// reads only the second feature, z = tanh(0.1·x₂) ≈ 0.1·x₂; every gate is held open by
// a bias of 10, so c_T ≈ 0.1·(n_a + n_b), y_T = tanh(c_T) ≈ c_T, and the head scales by 10.
import { writeFileSync } from 'node:fs'
import { parseConfig } from '../lib/model/config.js'
import { FIDELITY_MODEL_CONFIG } from '../lib/reproduce/fidelity/model-config.js'
import { writeModelFile } from '../lib/model/tensors.js'
import type { Tensor } from '../lib/model/types.js'

const here = new URL('.', import.meta.url)

function tensor(shape: number[], values: number[]): Tensor {
  return { dtype: 'f32', shape, data: Float32Array.from(values) }
}

const config = parseConfig(FIDELITY_MODEL_CONFIG)
// Gate blocks z, i, f, o; columns are the two input features.
const tensors = new Map<string, Tensor>([
  ['layers.0.fwd.W', tensor([4, 2], [0, 0.1, 0, 0, 0, 0, 0, 0])],
  ['layers.0.fwd.U', tensor([4, 1], [0, 0, 0, 0])],
  ['layers.0.fwd.b', tensor([4], [0, 10, 10, 10])],
  ['head.weight', tensor([1, 1], [10])],
])
writeFileSync(new URL('toy-addition.safetensors', here), writeModelFile(config, tensors))

/** Deterministic sequences: markers at a < b, values in [−1, −0.5] ∪ [0.5, 1]. */
function sequence(seed: number, steps: number, a: number, b: number): number[][] {
  let state = seed
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  return Array.from({ length: steps }, (_, t) => {
    const magnitude = 0.5 + 0.5 * next()
    const value = Math.round((next() < 0.5 ? -magnitude : magnitude) * 1000) / 1000
    return t === a || t === b ? [0, value] : [value, 0]
  })
}

const lines = [sequence(1, 6, 1, 4), sequence(2, 8, 0, 7), sequence(3, 5, 2, 3)].map((x) => JSON.stringify({ x }))
writeFileSync(new URL('toy-addition.jsonl', here), `${lines.join('\n')}\n`)
