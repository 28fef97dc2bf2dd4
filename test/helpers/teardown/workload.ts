// What test/teardown.test.ts and its child processes share: a model and inputs that keep a kernel
// busy for a while, the calls that run them, the moments to end them at and the exit codes.
import type { Model, SequenceInput } from '../../../lib/index.js'
import { createModel } from '../../../lib/index.js'

export type Operation = 'explain' | 'evaluate' | 'train'
export const OPERATIONS: Operation[] = ['explain', 'evaluate', 'train']
/** A worker's own process.exit() code, told apart from terminate()'s 1. */
export const WORKER_EXIT_CODE = 5
export const MAIN_EXIT_CODE = 7
/** Milliseconds after the call started, or its first progress report. */
export type Moment = number | 'progress'
export const MOMENTS: Moment[] = [0, 1, 5, 20, 50, 'progress']

export function busyModel(backend: string, seed: number): Promise<Model> {
  return createModel({ inputSize: 16, layers: [{ hiddenSize: 48, bidirectional: true }], head: { outputs: 4 } }, { seed, backend: backend as 'native' | 'wasm', threads: 2 })
}

export function busyInputs(count: number, seed: number): SequenceInput[] {
  return Array.from({ length: count }, (_, n) => ({ data: Float32Array.from({ length: 60 * 16 }, (_, k) => Math.sin(seed + n + k)), steps: 60 }))
}

/** Starts one long call; onProgress runs while its kernel calls are in flight. */
export function startOperation(model: Model, operation: Operation, inputs: SequenceInput[], onProgress: () => void): Promise<unknown> {
  const items = inputs.map((input, n) => ({ input, target: n % 4 }))
  if (operation === 'explain') return model.explainBatch(inputs, {}, { onProgress })
  if (operation === 'evaluate') {
    // evaluate() reports no progress: a short evaluation beside the long one stands in for it.
    const whole = model.evaluate(items)
    void model.evaluate(items.slice(0, 64)).then(onProgress)
    return whole
  }
  return model.train(items, { epochs: 3, batchSize: 64, onProgress })
}
