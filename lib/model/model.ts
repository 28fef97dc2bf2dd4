/** A loaded model: validated config and weights on one backend, with predict and explain. */
import type { Backend, BackendInfo, KernelBatch, KernelExplainOutputs, KernelModel } from '../backend/types.js'
import type { DType, ModelConfig, Tensor } from './types.js'
import type { BatchItem, BatchProgress, Explanation, ExplainOptions, Prediction, ResolvedTarget, SequenceInput, SettledExplanation, Target } from '../explain/types.js'
import type { Evaluation, LossName, TrainOptions, TrainReport } from '../train/types.js'
import { emptyKernelTensors, evaluateItems, runTraining, tensorsFromKernel } from '../train/train.js'
import { defaultLoss, lossCode } from '../train/options.js'
import { checkItems, itemTargets } from '../train/targets.js'
import { kernelModelDesc } from '../backend/kernel-desc.js'
import { CONSERVATION_FIELDS, MAX_THREADS } from '../backend/codes.js'
import { explainOutputBytes, explainOutputViews } from '../backend/explain-outputs.js'
import { checkUniformKind, gatherSequences, joinBatches, selectSequences, stepsOf, toKernelBatch } from '../explain/inputs.js'
import { nonFiniteError } from '../explain/non-finite.js'
import type { ResolvedOptions } from '../explain/options.js'
import { ResolvedOptionsCache } from '../explain/options-cache.js'
import { argmaxOfRow, argmaxTarget, weightRows, writeTargetWeights } from '../explain/target.js'
import { checkMemory, explainBytes, predictBytes, type ResultShape } from './memory.js'
import { outputRegion, resultRegion } from './result-slab.js'
import { LentOutputs } from './lent-outputs.js'
import { fail, LstmLrpError } from '../errors.js'
import { describeValue } from '../describe-value.js'
import { readingCallerValues } from '../caller-values.js'

/**
 * A batch call covers about this many multiply-adds of the layers' forward products (about ten
 * milliseconds of work), so progress is reported between calls while each call stays long
 * enough that its end, where threads wait for the last group, costs little...
 */
const CHUNK_MULTIPLY_ADDS = 2 ** 29
/**
 * ...and at least this many steps per thread (8 of the kernel's groups of up to 1024 steps), so every
 * thread has groups to run and a batch makes few calls: between two calls the kernel's threads wait
 * for the last group and for the next call to reach them. 2 048 SST sentences on 2 threads ran
 * 1–6 % faster as 2 calls than as 4.
 */
const CHUNK_STEPS_PER_THREAD = 8192
const CHUNK_SEQUENCES = 4096

/** One kernel call: its sequences and target weights (null: each sequence's predicted class). */
interface PlannedCall {
  batch: KernelBatch
  weights: Float64Array | null
  /** The positions of its sequences in the prepared call, in order. */
  members: number[]
}

/** A kernel call with the arrays it writes. */
interface KernelCall extends PlannedCall {
  outputs: KernelExplainOutputs
}

/**
 * Inputs checked and laid out, with their targets as resolved: one kernel call, or two when
 * some inputs have a target and the others explain their predicted class (the kernel then picks
 * each of those argmaxes itself, instead of a forward pass beforehand).
 */
interface PreparedCall<Call extends PlannedCall = KernelCall> {
  resolvedTargets: (ResolvedTarget | null)[]
  calls: Call[]
}

/** Where a call's output arrays go: a result slab's region, or memory lent by explainEach. */
type RegionOf = (bytes: number) => { buffer: ArrayBuffer; offset: number }

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

function isBatchItem(item: SequenceInput | BatchItem): item is BatchItem {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item
}

/** Multiply-adds of one step's forward products: W x and U y of every layer direction. */
function forwardMultiplyAddsPerStep(config: ModelConfig): number {
  let inputSize = config.inputSize
  let total = 0
  for (const { hiddenSize, bidirectional } of config.layers) {
    const directions = bidirectional ? 2 : 1
    total += directions * 4 * hiddenSize * (inputSize + hiddenSize)
    inputSize = directions * hiddenSize
  }
  return total
}

/**
 * Steps of a batch item, only to size chunks: an item whose steps cannot be read counts as one,
 * and prepare() rejects it, naming the problem, before any work starts.
 */
function stepsToChunk(input: SequenceInput): number {
  // stepsOf reads nothing of the caller's outside its own try: a getter that throws, or an item that is not an object, gives NaN.
  const steps: unknown = stepsOf(input)
  return Number.isSafeInteger(steps) && (steps as number) > 0 ? (steps as number) : 1
}

/** Kernel settings fixed when a model is created. */
export interface KernelOptions {
  /** false: a token model does not keep its first layer's input projections per vocabulary row (same results, less memory; docs/METHODS.md § Input projection table). Default true. */
  inputProjectionTable?: boolean
}

export class Model {
  readonly config: ModelConfig
  readonly dtype: DType
  /** What runs this model, for callers to read: the backend's name, SIMD level and threads. */
  readonly backend: BackendInfo
  private kernel: KernelModel | null
  private tensors: Map<string, Tensor>
  /** The backend itself: it makes this model's kernels and holds the memory limit. */
  private readonly kernelBackend: Backend
  /** Set while train() runs: the kernel's weights change under every other call. */
  private training = false
  /** Batches in flight; dispose() frees the kernel once they are done. */
  private activeBatches = 0
  private disposed = false
  private readonly parallelism: number
  /** Multiply-adds of one step's forward products (W x and U y of every layer direction): sizes batch chunks. */
  private readonly multiplyAddsPerStep: number
  private readonly inputProjectionTable: boolean
  private readonly resolvedOptions: ResolvedOptionsCache
  private readonly lent = new LentOutputs()

  /** Reads the kernel's own copy of the weights: blocks the cell does not use come back as zeros. */
  static withKernelWeights(config: ModelConfig, dtype: DType, tensors: Map<string, Tensor>, kernelBackend: Backend, threads?: number, kernelOptions: KernelOptions = {}): Model {
    const model = new Model(config, dtype, tensors, kernelBackend, threads, kernelOptions)
    model.readWeights()
    return model
  }

  /** threads: how many threads each batch call splits its sequences across (LoadOptions.threads; default: the backend's parallelism). */
  constructor(config: ModelConfig, dtype: DType, tensors: Map<string, Tensor>, kernelBackend: Backend, threads?: number, kernelOptions: KernelOptions = {}) {
    this.config = config
    this.dtype = dtype
    this.tensors = tensors
    this.kernelBackend = kernelBackend
    this.parallelism = threads ?? kernelBackend.parallelism
    this.multiplyAddsPerStep = forwardMultiplyAddsPerStep(config)
    this.resolvedOptions = new ResolvedOptionsCache(dtype, config.inputSize)
    if (!Number.isInteger(this.parallelism) || this.parallelism < 1 || this.parallelism > MAX_THREADS) fail('E_OPTIONS', `threads must be an integer in [1, ${MAX_THREADS}]; got ${describeValue(threads)}`)
    this.backend = { ...kernelBackend.info(), threads: this.parallelism }
    const table = kernelOptions.inputProjectionTable ?? true
    if (typeof table !== 'boolean') fail('E_OPTIONS', `inputProjectionTable must be a boolean; got ${describeValue(table)}`)
    this.inputProjectionTable = table
    this.kernel = kernelBackend.createModel(kernelModelDesc(config, dtype, tensors, table))
    this.kernel.setThreads(this.parallelism)
  }

  /** The weights as stored (read-only use: saveModel writes them). */
  get weights(): ReadonlyMap<string, Tensor> {
    return this.tensors
  }

  private live(): KernelModel {
    if (this.disposed || this.kernel === null) fail('E_DISPOSED', 'the model has been disposed')
    if (this.training) fail('E_BUSY', 'the model is training; wait for train() to finish')
    return this.kernel
  }

  private scoreRows(lengths: Int32Array): number {
    return this.config.head.readout === 'last' ? lengths.length : lengths.reduce((sum, length) => sum + length, 0)
  }

  predict(input: SequenceInput): Prediction {
    const kernel = this.live()
    const batch = toKernelBatch([input], this.config, this.dtype)
    const classification = this.config.task === 'classification'
    checkMemory(predictBytes(this.resultShape(batch.lengths), classification), this.kernelBackend.memoryLimit, 'predicting this input')
    const values = this.scoreRows(batch.lengths) * this.config.head.outputs
    // Probabilities first, so the scores after them are aligned whatever their dtype.
    const { buffer, offset } = resultRegion(values * ((classification ? 8 : 0) + (this.dtype === 'f32' ? 4 : 8)))
    const probabilities = classification ? new Float64Array(buffer, offset, values) : null
    const scoresAt = offset + (probabilities === null ? 0 : values * 8)
    const scores = this.dtype === 'f32' ? new Float32Array(buffer, scoresAt, values) : new Float64Array(buffer, scoresAt, values)
    kernel.predict(batch, scores, probabilities)
    const lastRow = scores.length / this.config.head.outputs - 1
    return { scores, probabilities, label: classification ? argmaxOfRow(scores, lastRow, this.config.head.outputs) : null }
  }

  /** predict() of every input, in one kernel call: many short sequences (perturbed copies of one input) share its threads and its overhead. */
  predictBatch(inputs: SequenceInput[]): Prediction[] {
    const kernel = this.live()
    const batch = toKernelBatch(inputs, this.config, this.dtype)
    const classification = this.config.task === 'classification'
    checkMemory(predictBytes(this.resultShape(batch.lengths), classification), this.kernelBackend.memoryLimit, 'predicting these inputs')
    const { outputs, readout } = this.config.head
    const values = this.scoreRows(batch.lengths) * outputs
    const scores = this.dtype === 'f32' ? new Float32Array(values) : new Float64Array(values)
    const probabilities = classification ? new Float64Array(values) : null
    kernel.predict(batch, scores, probabilities)
    let row = 0
    return Array.from(batch.lengths, (length) => {
      const rows = readout === 'last' ? 1 : length
      const [start, end] = [row * outputs, (row + rows) * outputs]
      row += rows
      const own = scores.subarray(start, end)
      return { scores: own, probabilities: probabilities?.subarray(start, end) ?? null, label: classification ? argmaxOfRow(own, rows - 1, outputs) : null }
    })
  }

  explain(input: SequenceInput, options?: ExplainOptions): Explanation {
    const kernel = this.live()
    const resolved = this.resolvedOptions.resolve(options)
    const call = this.withOutputs(this.prepare([input], [options?.target], resolved, null, { bytes: 0 }), outputRegion)
    for (const part of call.calls) kernel.explain(part.batch, resolved.kernel, part.weights, part.outputs)
    return this.collect(call, resolved)[0]
  }

  /**
   * Explains many sequences; items may carry their own target. The kernel calls run off the calling
   * thread: natively on the kernel's threads, on WASM on worker threads (Web Workers in browsers; where
   * there are none, each call runs on the calling thread between turns of the event loop).
   */
  async explainBatch(items: (SequenceInput | BatchItem)[], options: ExplainOptions = {}, { onProgress }: { onProgress?: (progress: BatchProgress) => void } = {}): Promise<Explanation[]> {
    const results = new Array<Explanation>(Array.isArray(items) ? items.length : 0)
    await this.runBatch('explainBatch', items, options, null, (explanations, done) => {
      for (let k = 0; k < explanations.length; k++) results[done - explanations.length + k] = explanations[k]
      onProgress?.({ done, total: items.length })
    })
    return results
  }

  /**
   * explainBatch for a caller that uses each explanation at once (writes it out, sums it up) and keeps
   * no arrays: `each` gets the explanations in input order, and their arrays are lent until `each`
   * returns (or the promise it returns settles), then emptied and their memory reused by the next
   * call. Copy what you keep (`relevance.slice()`). Without fresh output memory for every batch,
   * this is the fastest way to explain many inputs.
   */
  explainEach(items: (SequenceInput | BatchItem)[], each: (explanation: Explanation, index: number) => unknown): Promise<void>
  explainEach(items: (SequenceInput | BatchItem)[], options: ExplainOptions | undefined, each: (explanation: Explanation, index: number) => unknown): Promise<void>
  async explainEach(items: (SequenceInput | BatchItem)[], ...args: [unknown] | [ExplainOptions | undefined, unknown]): Promise<void> {
    const [options, each] = args.length === 1 ? [{}, args[0]] : [args[0] ?? {}, args[1]]
    if (typeof each !== 'function') fail('E_OPTIONS', `explainEach needs a function to call with each explanation; got ${describeValue(each)}`)
    let index = 0
    await this.runBatch('explainEach', items, options, this.lent, async (explanations) => {
      for (const explanation of explanations) {
        const returned: unknown = each(explanation, index++)
        if (isThenable(returned)) await returned
      }
    })
  }

  /**
   * explainBatch's and explainEach's work. Every item is checked and copied before the first kernel
   * call's result is awaited, so the caller may reuse its arrays once a promise is returned. The calls
   * run one at a time (each already spreads its sequences over the kernel's threads, natively; on
   * WASM over worker threads, or where there are none on the calling thread between turns of the
   * event loop), the next starting before `use` gets the last one's explanations. With `lent`, each
   * call's outputs are lent memory, taken back once `use` is done.
   */
  private async runBatch(name: string, items: (SequenceInput | BatchItem)[], options: ExplainOptions, lent: LentOutputs | null, use: (explanations: Explanation[], done: number) => Promise<void> | void): Promise<void> {
    if (!Array.isArray(items)) fail('E_INPUT', `${name} takes an array of inputs`)
    const kernel = this.live()
    const resolved = this.resolvedOptions.resolve(options)
    if (items.length === 0) return
    const inputs = new Array<SequenceInput>(items.length)
    const targets = new Array<Target | undefined>(items.length)
    readingCallerValues('E_INPUT', `${name} items`, () => {
      for (let n = 0; n < items.length; n++) {
        const item = items[n]
        const batchItem = isBatchItem(item)
        inputs[n] = batchItem ? item.input : item
        targets[n] = (batchItem ? item.target : undefined) ?? options.target
      }
    })
    // Without an embedding, token items fail with their own, more specific error.
    if (this.config.embedding) checkUniformKind(inputs)
    const spent = { bytes: 0 }
    const ranges = this.chunks(inputs)
    // Every call's results are kept until the batch ends, unless they are lent: then only the calls in flight hold memory.
    const prepareRange = ({ start, end }: { start: number; end: number }) => this.prepare(inputs.slice(start, end), targets.slice(start, end), resolved, start, lent === null ? spent : { bytes: 0 })
    const regionOf: RegionOf = lent === null ? outputRegion : (bytes) => ({ buffer: lent.take(bytes), offset: 0 })
    const run = (planned: PreparedCall<PlannedCall>): Promise<PreparedCall> => {
      const call = this.withOutputs(planned, regionOf)
      const finished = (async () => {
        for (const part of call.calls) await kernel.explainAsync(part.batch, resolved.kernel, part.weights, part.outputs)
        return call
      })()
      // Awaited once the previous call's explanations are used; until then its failure must not count as unhandled.
      finished.catch(() => undefined)
      return finished
    }
    const planned = [prepareRange(ranges[0])]
    this.activeBatches++
    const runs: Promise<PreparedCall>[] = []
    try {
      runs.push(run(planned[0]))
      for (const range of ranges.slice(1)) planned.push(prepareRange(range))
      let done = 0
      for (let k = 0; k < planned.length; k++) {
        const call = await runs[k]
        if (k + 1 < planned.length) runs.push(run(planned[k + 1]))
        done += call.resolvedTargets.length
        await use(this.collect(call, resolved), done)
        if (lent !== null) for (const part of call.calls) lent.giveBack(part.outputs.conservation.buffer as ArrayBuffer)
      }
    } finally {
      // A call still running (a callback threw) must end before the kernel may be freed.
      await Promise.allSettled(runs)
      this.activeBatches--
      this.releaseIfDisposed()
    }
  }

  /**
   * Like explainBatch, but one outcome per item: each item is checked alone before any work, so an
   * invalid one gets the error explain() would raise for it and stays out of the kernel call, and
   * the others run together. A result that overflows fails only its own item (E_NUMERIC); a failure
   * of a whole kernel call (E_MEMORY, E_KERNEL) fails the items of that call.
   */
  async explainBatchSettled(items: (SequenceInput | BatchItem)[], options: ExplainOptions = {}): Promise<SettledExplanation[]> {
    if (!Array.isArray(items)) fail('E_INPUT', 'explainBatchSettled takes an array of inputs')
    const kernel = this.live()
    const resolved = this.resolvedOptions.resolve(options)
    const settled: SettledExplanation[] = new Array(items.length)
    const valid: { index: number; input: SequenceInput; target: Target | undefined; batch: KernelBatch }[] = []
    items.forEach((item, index) => {
      try {
        const { input, target } = readingCallerValues('E_INPUT', 'input', () => (isBatchItem(item) ? { input: item.input, target: item.target ?? options.target } : { input: item, target: options.target }))
        const batch = toKernelBatch([input], this.config, this.dtype, { copy: true })
        this.targetWeights(batch, [target], resolved, null, { bytes: 0 })
        valid.push({ index, input, target, batch })
      } catch (error) {
        if (!(error instanceof LstmLrpError)) throw error
        settled[index] = { error }
      }
    })
    this.activeBatches++
    try {
      // A model with an embedding takes token ids and vectors, but not both in one kernel call.
      const kinds = [valid.filter((item) => item.batch.tokens !== null), valid.filter((item) => item.batch.tokens === null)]
      for (const kind of kinds.filter((group) => group.length > 0))
        for (const { start, end } of this.chunks(kind.map((item) => item.input))) {
          const chunk = kind.slice(start, end)
          await this.settleChunk(kernel, chunk, resolved, (n, outcome) => (settled[chunk[n].index] = outcome))
        }
    } finally {
      this.activeBatches--
      this.releaseIfDisposed()
    }
    return settled
  }

  private async settleChunk(kernel: KernelModel, chunk: { target: Target | undefined; batch: KernelBatch }[], resolved: ResolvedOptions, settle: (n: number, outcome: SettledExplanation) => void): Promise<void> {
    const targets = chunk.map((item) => item.target)
    const failAll = (error: unknown) => {
      if (!(error instanceof LstmLrpError)) throw error
      chunk.forEach((_, n) => settle(n, { error }))
    }
    let call: PreparedCall
    try {
      call = this.withOutputs(this.callFor(joinBatches(chunk.map((item) => item.batch)), targets, resolved, null, { bytes: 0 }), outputRegion)
    } catch (error) {
      return failAll(error)
    }
    // The conservation rows of the sequences of calls that overflowed, by position.
    const overflowed = new Map<number, Float64Array>()
    for (const part of call.calls)
      try {
        await kernel.explainAsync(part.batch, resolved.kernel, part.weights, part.outputs)
      } catch (error) {
        // The kernel checks for overflow after writing every output: each sequence's own values say whether it failed.
        if (!(error instanceof LstmLrpError && error.code === 'E_NUMERIC')) return failAll(error)
        part.members.forEach((n, k) => overflowed.set(n, part.outputs.conservation.subarray(k * CONSERVATION_FIELDS, (k + 1) * CONSERVATION_FIELDS)))
      }
    const readoutEach = this.config.head.readout === 'each'
    this.collect(call, resolved).forEach((explanation, n) => {
      // Only a call the kernel failed has values to look at: after a success every one is finite.
      const conservation = overflowed.get(n)
      const error = conservation === undefined ? null : nonFiniteError(explanation, conservation, this.config.head.outputs, readoutEach)
      settle(n, error === null ? { explanation } : { error })
    })
  }

  /**
   * Trains the model's weights in place (docs/METHODS.md § Training): natively each step off the calling thread, on WASM
   * on it, each step after a turn of the event loop; other calls on the model
   * fail with E_BUSY until it finishes. The same seed, data and backend give the same weights.
   */
  async train(data: unknown, options: TrainOptions = {}): Promise<TrainReport> {
    const kernel = this.live()
    this.training = true
    this.activeBatches++
    try {
      const { report, best } = await runTraining({ kernel, config: this.config, dtype: this.dtype }, data, options)
      if (best !== null) this.replaceWeights(tensorsFromKernel(this.config, this.dtype, best))
      this.readWeights()
      return report
    } finally {
      this.training = false
      this.activeBatches--
      this.releaseIfDisposed()
    }
  }

  /** Mean loss (and accuracy for classification) over items { input, target }. */
  async evaluate(data: unknown, { loss }: { loss?: LossName } = {}): Promise<Evaluation> {
    const kernel = this.live()
    // In flight like a batch: dispose() waits for it instead of freeing the kernel between its calls.
    this.activeBatches++
    try {
      return await evaluateItems({ kernel, config: this.config, dtype: this.dtype }, data, loss ?? defaultLoss(this.config))
    } finally {
      this.activeBatches--
      this.releaseIfDisposed()
    }
  }

  /** Mean loss of the items as one batch and its gradient for every tensor, named as in the model file. */
  gradients(data: unknown, { loss = defaultLoss(this.config) }: { loss?: LossName } = {}): { loss: number; gradients: Map<string, Tensor> } {
    const kernel = this.live()
    const items = checkItems(data, 'data')
    const batch = toKernelBatch(
      items.map((item) => item.input),
      this.config,
      this.dtype,
      { firstIndex: 0 },
    )
    const targets = Float64Array.from(items.flatMap((item, n) => itemTargets(item, batch.lengths[n], this.config, loss, `data[${n}]`)))
    const out = emptyKernelTensors(this.config, this.dtype)
    const mean = kernel.gradients(batch, lossCode(loss), targets, out)
    return { loss: mean, gradients: tensorsFromKernel(this.config, this.dtype, out) }
  }

  /** Copies the kernel's weights into fresh tensors (never into arrays the caller may share). */
  private readWeights(): void {
    if (this.kernel === null) return
    const out = emptyKernelTensors(this.config, this.dtype)
    this.kernel.weights(out)
    this.tensors = tensorsFromKernel(this.config, this.dtype, out)
  }

  private replaceWeights(tensors: Map<string, Tensor>): void {
    const kernel = this.kernelBackend.createModel(kernelModelDesc(this.config, this.dtype, tensors, this.inputProjectionTable))
    kernel.setThreads(this.parallelism)
    this.kernel?.dispose()
    this.kernel = kernel
    this.tensors = tensors
  }

  /** Frees the kernel; batches already running finish first, every later call fails with E_DISPOSED. */
  dispose(): void {
    this.disposed = true
    this.lent.close()
    this.releaseIfDisposed()
  }

  private releaseIfDisposed(): void {
    if (!this.disposed || this.activeBatches > 0 || this.kernel === null) return
    this.kernel.dispose()
    this.kernel = null
  }

  /** Ranges of inputs for one kernel call each: as many as the work needs, of about equal steps (a short last call would leave threads idle). */
  private chunks(inputs: SequenceInput[]): { start: number; end: number }[] {
    const steps = inputs.map(stepsToChunk)
    const total = steps.reduce((sum, value) => sum + value, 0)
    const byWork = Math.ceil((total * this.multiplyAddsPerStep) / CHUNK_MULTIPLY_ADDS)
    const bySteps = Math.floor(total / (CHUNK_STEPS_PER_THREAD * this.parallelism))
    const calls = Math.max(1, Math.min(byWork, bySteps), Math.ceil(inputs.length / CHUNK_SEQUENCES))
    const stepsPerCall = total / calls
    const ranges: { start: number; end: number }[] = []
    let start = 0
    let taken = 0
    steps.forEach((value, n) => {
      taken += value
      if (taken >= stepsPerCall * (ranges.length + 1) || n + 1 - start >= CHUNK_SEQUENCES || n === inputs.length - 1) {
        ranges.push({ start, end: n + 1 })
        start = n + 1
      }
    })
    return ranges
  }

  private resultShape(lengths: Int32Array): ResultShape {
    let steps = 0
    for (let n = 0; n < lengths.length; n++) steps += lengths[n]
    return {
      steps,
      scoreRows: this.config.head.readout === 'last' ? lengths.length : steps,
      outputs: this.config.head.outputs,
      features: this.config.inputSize,
      sequences: lengths.length,
      valueBytes: this.dtype === 'f32' ? 4 : 8,
    }
  }

  /** spent: the bytes of the results already prepared for the same batch, which are all kept until it ends. */
  private prepare(inputs: SequenceInput[], targets: (Target | undefined)[], resolved: ResolvedOptions, firstIndex: number | null, spent: { bytes: number }): PreparedCall<PlannedCall> {
    const batch = toKernelBatch(inputs, this.config, this.dtype, { firstIndex, copy: firstIndex !== null })
    return this.callFor(batch, targets, resolved, firstIndex, spent)
  }

  /** The kernel calls over a batch already read, with their target weights. */
  private callFor(batch: KernelBatch, targets: (Target | undefined)[], resolved: ResolvedOptions, firstIndex: number | null, spent: { bytes: number }): PreparedCall<PlannedCall> {
    const { weights, resolvedTargets, predicted } = this.targetWeights(batch, targets, resolved, firstIndex, spent)
    const everyone = Array.from({ length: batch.lengths.length }, (_, n) => n)
    if (weights === null || predicted.length === 0) return { resolvedTargets, calls: [{ batch, weights, members: everyone }] }
    const targeted = everyone.filter((n) => resolvedTargets[n] !== null)
    const scoreRows = Array.from(batch.lengths, (steps) => (this.config.head.readout === 'last' ? 1 : steps))
    return {
      resolvedTargets,
      calls: [
        { batch: selectSequences(batch, targeted, this.config.inputSize), weights: gatherSequences(weights, scoreRows, targeted, this.config.head.outputs), members: targeted },
        { batch: selectSequences(batch, predicted, this.config.inputSize), weights: null, members: predicted },
      ],
    }
  }

  /** The call with the arrays its kernel calls write, each call's in one region of `regionOf`. */
  private withOutputs({ resolvedTargets, calls }: PreparedCall<PlannedCall>, regionOf: RegionOf): PreparedCall {
    return { resolvedTargets, calls: calls.map((part) => ({ ...part, outputs: this.explainOutputs(part.batch.lengths, this.resultShape(part.batch.lengths).steps, regionOf) })) }
  }

  /**
   * Checks the phrase, versus, targets, init and memory of a batch and writes the target weights:
   * null when every sequence explains its predicted class. `predicted` lists the sequences that do
   * while others have weights (no target, no init vector): they need a kernel call of their own.
   */
  private targetWeights(
    batch: KernelBatch,
    targets: (Target | undefined)[],
    resolved: ResolvedOptions,
    firstIndex: number | null,
    spent: { bytes: number },
  ): { weights: Float64Array | null; resolvedTargets: (ResolvedTarget | null)[]; predicted: number[] } {
    const { phrase } = resolved
    if (phrase !== null)
      batch.lengths.forEach((steps, n) =>
        this.atInput(firstIndex, n, () => {
          if (phrase[1] > steps) fail('E_OPTIONS', `cd.phrase [${phrase[0]}, ${phrase[1]}) ends after the sequence's ${steps} steps`)
        }),
      )
    const { readout, outputs } = this.config.head
    const rowsOf = (steps: number) => (readout === 'last' ? 1 : steps)
    // A null target, like an absent one, asks for the predicted class (JSON callers send either).
    const given = targets.map((target) => target ?? undefined)
    const { versus } = resolved
    if (versus !== undefined)
      given.forEach((target, n) =>
        this.atInput(firstIndex, n, () => {
          if (target === undefined) fail('E_TARGET', 'versus needs a target: the class to contrast with it')
        }),
      )
    const explicit = resolved.initVector !== null || versus !== undefined || given.some((target) => target !== undefined)
    const shape = this.resultShape(batch.lengths)
    spent.bytes += explainBytes(shape, explicit)
    checkMemory(spent.bytes, this.kernelBackend.memoryLimit, firstIndex === null && batch.lengths.length === 1 ? 'explaining this input' : 'explaining this batch')
    const resolvedTargets: (ResolvedTarget | null)[] = targets.map(() => null)
    if (!explicit) return { weights: null, resolvedTargets, predicted: [] }
    const predicted: number[] = []
    const weights = new Float64Array(shape.scoreRows * outputs)
    let scoreRow = 0
    batch.lengths.forEach((steps, n) => {
      const rows = weights.subarray(scoreRow * outputs, (scoreRow + rowsOf(steps)) * outputs)
      const target = given[n]
      if (target !== undefined) resolvedTargets[n] = this.atInput(firstIndex, n, () => writeTargetWeights(target, { readout, outputs, steps, labels: this.config.labels }, rows, versus))
      if (resolved.initVector) rows.set(this.atInput(firstIndex, n, () => weightRows(resolved.initVector, rowsOf(steps), outputs, 'init', 'E_OPTIONS')))
      else if (target === undefined) predicted.push(n)
      scoreRow += rowsOf(steps)
    })
    return { weights, resolvedTargets, predicted }
  }

  /**
   * The kernel's output arrays as views of one region (lib/model/result-slab.ts, or lent memory): an
   * ArrayBuffer per call would cost a noticeable share of a short sequence's explanation.
   */
  private explainOutputs(lengths: Int32Array, totalSteps: number, regionOf: RegionOf): KernelExplainOutputs {
    const count = lengths.length
    const sizes = { scores: this.scoreRows(lengths) * this.config.head.outputs, relevance: totalSteps * this.config.inputSize, perStep: totalSteps, conservation: count * CONSERVATION_FIELDS, targets: count }
    const double = this.dtype === 'f64'
    const { buffer, offset } = regionOf(explainOutputBytes(sizes, double))
    return explainOutputViews(buffer, offset, sizes, double)
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

  /** The explanations of a prepared call, in its order. */
  private collect(call: PreparedCall, resolved: ResolvedOptions): Explanation[] {
    if (call.calls.length === 1) return this.explanationsOf(call.calls[0], call.resolvedTargets, resolved)
    const explanations = new Array<Explanation>(call.resolvedTargets.length)
    for (const part of call.calls) this.explanationsOf(part, call.resolvedTargets, resolved).forEach((explanation, k) => (explanations[part.members[k]] = explanation))
    return explanations
  }

  /** One kernel call's explanations, in its order; a sequence without a resolved target reports the class the kernel predicted. */
  private explanationsOf(part: KernelCall, resolvedTargets: (ResolvedTarget | null)[], resolved: ResolvedOptions): Explanation[] {
    const { readout, outputs } = this.config.head
    const width = this.config.inputSize
    const out = part.outputs
    let step = 0
    let scoreRow = 0
    const { lengths } = part.batch
    // Over indices, not the typed array: its iterator would make an object per sequence.
    return Array.from({ length: lengths.length }, (_, n) => {
      const steps = lengths[n]
      const rows = readout === 'last' ? 1 : steps
      // Read in place: a view per explanation would be one more object for the collector.
      const c = out.conservation
      const at = n * CONSERVATION_FIELDS
      const explanation: Explanation = {
        method: resolved.method,
        scores: out.scores.subarray(scoreRow * outputs, (scoreRow + rows) * outputs),
        target: resolvedTargets[part.members[n]] ?? argmaxTarget(out.targets[n], readout, steps),
        relevance: out.relevance.subarray(step * width, (step + steps) * width),
        perStep: out.perStep.subarray(step, step + steps),
        steps,
        features: width,
        conservation: resolved.method === 'lrp' ? { input: c[at], inputs: c[at + 1], absorbed: c[at + 2], initialState: c[at + 3] } : null,
        decomposition: resolved.phrase !== null ? { score: c[at], relevant: c[at + 1], irrelevant: c[at + 2], bias: c[at + 3] } : null,
        completeness: resolved.completeness ? { difference: c[at], sum: c[at + 1], delta: c[at + 2] } : null,
      }
      step += steps
      scoreRow += rows
      return explanation
    })
  }
}
