/** A loaded model: validated config and weights on one backend, with predict and explain. */
import type { Backend, BackendInfo, KernelBatch, KernelExplainOutputs, KernelModel } from '../backend/types.js'
import type { DType, FloatArray, ModelConfig, Tensor } from './types.js'
import type { BatchItem, BatchProgress, Explanation, ExplainOptions, Prediction, ResolvedTarget, SequenceInput, Target } from '../explain/types.js'
import { kernelModelDesc } from '../backend/kernel-desc.js'
import { checkUniformKind, toKernelBatch } from '../explain/inputs.js'
import { resolveOptions, type ResolvedOptions } from '../explain/options.js'
import { argmaxTarget, targetWeights, weightRows } from '../explain/target.js'
import { fail, LstmLrpError } from '../errors.js'

const CONSERVATION_FIELDS = 4
/** A batch call covers at most this many steps, so progress is reported and threads share the work. */
const CHUNK_STEPS = 4096
const CHUNK_SEQUENCES = 256

interface PreparedCall {
  batch: KernelBatch
  targets: (Target | undefined)[]
  weights: Float64Array | null
  resolvedTargets: (ResolvedTarget | null)[]
  outputs: KernelExplainOutputs
}

function isBatchItem(item: SequenceInput | BatchItem): item is BatchItem {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item
}

function stepsOf(input: SequenceInput): number {
  if (Array.isArray(input)) return input.length
  return 'steps' in input ? input.steps : input.tokens.length
}

function argmaxOfRow(scores: FloatArray, row: number, outputs: number): number {
  let best = 0
  for (let k = 1; k < outputs; k++) if (scores[row * outputs + k] > scores[row * outputs + best]) best = k
  return best
}

export class Model {
  readonly config: ModelConfig
  readonly dtype: DType
  readonly backend: BackendInfo
  private kernel: KernelModel | null
  private readonly tensors: Map<string, Tensor>
  /** Batches in flight; dispose() frees the kernel once they are done. */
  private activeBatches = 0
  private disposed = false
  private readonly parallelism: number

  constructor(config: ModelConfig, dtype: DType, tensors: Map<string, Tensor>, backend: Backend) {
    this.config = config
    this.dtype = dtype
    this.tensors = tensors
    this.backend = backend.info()
    this.parallelism = backend.parallelism
    this.kernel = backend.createModel(kernelModelDesc(config, dtype, tensors))
  }

  /** The weights as stored (read-only use: saveModel writes them). */
  get weights(): ReadonlyMap<string, Tensor> {
    return this.tensors
  }

  private live(): KernelModel {
    if (this.disposed || this.kernel === null) fail('E_DISPOSED', 'the model has been disposed')
    return this.kernel
  }

  private newArray(length: number): FloatArray {
    return this.dtype === 'f32' ? new Float32Array(length) : new Float64Array(length)
  }

  private scoreRows(lengths: Int32Array): number {
    return this.config.head.readout === 'last' ? lengths.length : lengths.reduce((sum, length) => sum + length, 0)
  }

  predict(input: SequenceInput): Prediction {
    const kernel = this.live()
    const batch = toKernelBatch([input], this.config, this.dtype)
    const classification = this.config.task === 'classification'
    const scores = this.newArray(this.scoreRows(batch.lengths) * this.config.head.outputs)
    const probabilities = classification ? new Float64Array(scores.length) : null
    kernel.predict(batch, scores, probabilities)
    const lastRow = scores.length / this.config.head.outputs - 1
    return { scores, probabilities, label: classification ? argmaxOfRow(scores, lastRow, this.config.head.outputs) : null }
  }

  explain(input: SequenceInput, options: ExplainOptions = {}): Explanation {
    const kernel = this.live()
    const resolved = resolveOptions(options, this.dtype, this.config.inputSize)
    const call = this.prepare([input], [options.target], resolved, null)
    kernel.explain(call.batch, resolved.kernel, call.weights, call.outputs)
    return this.collect(call, resolved)[0]
  }

  /** Explains many sequences off the event loop; items may carry their own target. */
  async explainBatch(
    items: (SequenceInput | BatchItem)[],
    options: ExplainOptions = {},
    { onProgress }: { onProgress?: (progress: BatchProgress) => void } = {},
  ): Promise<Explanation[]> {
    if (!Array.isArray(items)) fail('E_INPUT', 'explainBatch takes an array of inputs')
    const kernel = this.live()
    const resolved = resolveOptions(options, this.dtype, this.config.inputSize)
    if (items.length === 0) return []
    const inputs = items.map((item) => (isBatchItem(item) ? item.input : item))
    const targets = items.map((item) => (isBatchItem(item) ? (item.target ?? options.target) : options.target))
    // Without an embedding, token items fail with their own, more specific error.
    if (this.config.embedding) checkUniformKind(inputs)
    // Every chunk is validated and copied before any work starts: the caller may reuse its arrays.
    const calls = this.chunks(inputs).map(({ start, end }) =>
      this.prepare(inputs.slice(start, end), targets.slice(start, end), resolved, start),
    )

    const results: Explanation[][] = new Array(calls.length)
    let next = 0
    let done = 0
    const worker = async () => {
      while (next < calls.length) {
        const index = next++
        const call = calls[index]
        await kernel.explainAsync(call.batch, resolved.kernel, call.weights, call.outputs)
        results[index] = this.collect(call, resolved)
        done += call.batch.lengths.length
        onProgress?.({ done, total: items.length })
      }
    }
    this.activeBatches++
    try {
      await Promise.all(Array.from({ length: Math.min(this.parallelism, calls.length) }, worker))
    } finally {
      this.activeBatches--
      this.releaseIfDisposed()
    }
    return results.flat()
  }

  /** Frees the kernel; batches already running finish first, every later call fails with E_DISPOSED. */
  dispose(): void {
    this.disposed = true
    this.releaseIfDisposed()
  }

  private releaseIfDisposed(): void {
    if (!this.disposed || this.activeBatches > 0 || this.kernel === null) return
    this.kernel.dispose()
    this.kernel = null
  }

  private chunks(inputs: SequenceInput[]): { start: number; end: number }[] {
    const ranges: { start: number; end: number }[] = []
    let start = 0
    let steps = 0
    inputs.forEach((input, n) => {
      steps += stepsOf(input)
      if (steps >= CHUNK_STEPS || n + 1 - start >= CHUNK_SEQUENCES || n === inputs.length - 1) {
        ranges.push({ start, end: n + 1 })
        start = n + 1
        steps = 0
      }
    })
    return ranges
  }

  private prepare(
    inputs: SequenceInput[],
    targets: (Target | undefined)[],
    resolved: ResolvedOptions,
    firstIndex: number | null,
  ): PreparedCall {
    const batch = toKernelBatch(inputs, this.config, this.dtype, { firstIndex, copy: firstIndex !== null })
    const { readout, outputs } = this.config.head
    const rowsOf = (steps: number) => (readout === 'last' ? 1 : steps)
    const explicit = resolved.initVector !== null || targets.some((target) => target !== undefined)
    const resolvedTargets: (ResolvedTarget | null)[] = targets.map(() => null)
    let weights: Float64Array | null = null
    if (explicit) {
      // Sequences without a target still need weights: their argmax, from a forward pass.
      const scores = targets.some((target) => target === undefined) ? this.batchScores(batch) : null
      const rows: number[] = []
      let scoreRow = 0
      batch.lengths.forEach((steps, n) => {
        const shape = { readout, outputs, steps }
        const target = targets[n] ?? argmaxOfRow(scores as FloatArray, scoreRow + rowsOf(steps) - 1, outputs)
        const { weights: targetRows, resolved: reported } = this.atInput(firstIndex, n, () => targetWeights(target, shape))
        resolvedTargets[n] = reported
        const initRows = resolved.initVector
          ? this.atInput(firstIndex, n, () => weightRows(resolved.initVector, rowsOf(steps), outputs, 'init', 'E_OPTIONS'))
          : null
        rows.push(...(initRows ?? targetRows))
        scoreRow += rowsOf(steps)
      })
      weights = Float64Array.from(rows)
    }
    const totalSteps = batch.lengths.reduce((sum, length) => sum + length, 0)
    const outputsArrays: KernelExplainOutputs = {
      scores: this.newArray(this.scoreRows(batch.lengths) * outputs),
      relevance: this.newArray(totalSteps * this.config.inputSize),
      perStep: this.newArray(totalSteps),
      conservation: new Float64Array(batch.lengths.length * CONSERVATION_FIELDS),
      targets: new Int32Array(batch.lengths.length),
    }
    return { batch, targets, weights, resolvedTargets, outputs: outputsArrays }
  }

  /** Runs check, prefixing its error with the input's index in a batch. */
  private atInput<T>(firstIndex: number | null, n: number, check: () => T): T {
    try {
      return check()
    } catch (error) {
      if (firstIndex === null || !(error instanceof LstmLrpError)) throw error
      throw new LstmLrpError(error.code, `input ${firstIndex + n}: ${error.message}`)
    }
  }

  private batchScores(batch: KernelBatch): FloatArray {
    const scores = this.newArray(this.scoreRows(batch.lengths) * this.config.head.outputs)
    this.live().predict(batch, scores, null)
    return scores
  }

  private collect(call: PreparedCall, resolved: ResolvedOptions): Explanation[] {
    const { readout, outputs } = this.config.head
    const width = this.config.inputSize
    const out = call.outputs
    let step = 0
    let scoreRow = 0
    return Array.from(call.batch.lengths, (steps, n) => {
      const rows = readout === 'last' ? 1 : steps
      const c = out.conservation.subarray(n * CONSERVATION_FIELDS, (n + 1) * CONSERVATION_FIELDS)
      const explanation: Explanation = {
        method: resolved.method,
        scores: out.scores.subarray(scoreRow * outputs, (scoreRow + rows) * outputs),
        target: call.resolvedTargets[n] ?? argmaxTarget(out.targets[n], readout, steps),
        relevance: out.relevance.subarray(step * width, (step + steps) * width),
        perStep: out.perStep.subarray(step, step + steps),
        steps,
        features: width,
        conservation:
          resolved.method === 'lrp' ? { input: c[0], inputs: c[1], absorbed: c[2], initialState: c[3] } : null,
      }
      step += steps
      scoreRow += rows
      return explanation
    })
  }
}
