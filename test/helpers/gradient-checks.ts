// Checks of a model's parameter gradients shared by the LSTM and GRU training tests: central finite
// differences of the loss, and a batch's gradient as the score-row-weighted sum of its sequences'.
import type { ExecutionContext } from 'ava'
import { Model, type LossName, type TrainItem } from '../../lib/index.js'
import type { Tensor } from '../../lib/model/types.js'
import { loadBackend } from '../../lib/backend/registry.js'
import { randomSequence, mulberry32 } from '../reference/random.js'

/** Three sequences of 1, 4 and 6 steps with random targets of `loss`'s kind. */
export function itemsFor(model: Model, loss: LossName, seed: number): TrainItem[] {
  const next = mulberry32(seed)
  const { inputSize, embedding, head } = model.config
  return [1, 4, 6].map((steps, n) => {
    const input = embedding ? { tokens: Array.from({ length: steps }, () => Math.floor(next() * embedding.vocabSize)) } : randomSequence(seed + n, steps, inputSize)
    const rows = head.readout === 'last' ? 1 : steps
    const target = loss === 'cross-entropy' ? Array.from({ length: rows }, () => Math.floor(next() * head.outputs)) : Array.from({ length: rows * head.outputs }, () => 2 * next() - 1)
    return { input, target }
  })
}

function withWeight(tensors: ReadonlyMap<string, Tensor>, name: string, index: number, delta: number): Map<string, Tensor> {
  const copy = new Map(tensors)
  const tensor = tensors.get(name)!
  const data = Float64Array.from(tensor.data)
  data[index] += delta
  copy.set(name, { ...tensor, data })
  return copy
}

/** Every tensor's gradient (up to 16 entries each, picked by seed) against central differences of the loss, for a float64 model. */
export function assertFiniteDifferenceGradients(t: ExecutionContext, model: Model, items: TrainItem[], loss: LossName, seed: number): void {
  const { gradients } = model.gradients(items, { loss })
  t.deepEqual([...gradients.keys()].sort(), [...model.weights.keys()].sort(), 'a gradient for every tensor')
  const largest = Math.max(...[...gradients.values()].flatMap((g) => Array.from(g.data, Math.abs)))
  const backend = loadBackend()
  const h = 1e-6
  const next = mulberry32(seed)
  for (const [tensorName, gradient] of gradients) {
    const size = gradient.data.length
    const picks = size <= 16 ? Array.from({ length: size }, (_, k) => k) : Array.from({ length: 16 }, () => Math.floor(next() * size))
    for (const k of picks) {
      const lossAt = (delta: number) => {
        const probe = new Model(model.config, 'f64', withWeight(model.weights, tensorName, k, delta), backend)
        const value = probe.gradients(items, { loss }).loss
        probe.dispose()
        return value
      }
      const numeric = (lossAt(h) - lossAt(-h)) / (2 * h)
      t.true(Math.abs(gradient.data[k] - numeric) <= 1e-6 * largest + 1e-9, `${tensorName}[${k}]: analytic ${gradient.data[k]}, numeric ${numeric}`)
    }
  }
}

/** A batch's mean loss and gradient are its sequences' own, weighted by their score rows (readout each: one per step). */
export function assertBatchIsWeightedSum(t: ExecutionContext, model: Model, items: TrainItem[]): void {
  const together = model.gradients(items, { loss: 'mse' })
  const rows = items.map((item) => (item.input as number[][]).length)
  const total = rows.reduce((a, b) => a + b, 0)
  const alone = items.map((item) => model.gradients([item], { loss: 'mse' }))
  t.true(Math.abs(together.loss - alone.reduce((sum, g, n) => sum + (g.loss * rows[n]) / total, 0)) < 1e-12)
  for (const [name, gradient] of together.gradients) {
    gradient.data.forEach((value, k) => {
      const expected = alone.reduce((sum, g, n) => sum + (g.gradients.get(name)!.data[k] * rows[n]) / total, 0)
      t.true(Math.abs(value - expected) < 1e-12, `${name}[${k}]`)
    })
  }
}
