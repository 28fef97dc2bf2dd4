/** The WASM module as a backend: copies arrays into its memory, calls the C ABI, copies results out. */
import type { Backend, KernelBatch, KernelExplainOptions, KernelExplainOutputs, KernelModel, KernelModelDesc, KernelTensors, KernelTrainer, KernelTrainOptions } from './types.js'
import type { WasmWorkers } from './wasm-workers.js'
import { LstmLrpError } from '../errors.js'
import {
  checkAbiVersion,
  errorCodeOfStatus,
  READOUT_CODES,
  WASM_BATCH_FIELDS,
  WASM_EXPLAIN_FIELDS,
  WASM_LAYER_FIELDS,
  WASM_LOSS_FIELDS,
  WASM_MODEL_FIELDS,
  WASM_PREDICT_FIELDS,
  WASM_STEP_FIELDS,
  WASM_TENSOR_HEAD_FIELDS,
  WASM_TENSOR_LAYER_FIELDS,
  WASM_TENSORS_FIELDS,
  WASM_TRAINER_FIELDS,
} from './codes.js'
import { packExplainOptions } from './packed-options.js'
import { WasmWorkerPool, WorkersUnavailable } from './wasm-pool.js'

export type WasmVariant = 'simd' | 'plain'

export const WASM_FILES: Record<WasmVariant, string> = { simd: 'lstm_lrp.simd.wasm', plain: 'lstm_lrp.wasm' }

/** A module using one v128 instruction: validates only where WebAssembly SIMD is supported. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])

export function wasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)
}

interface Exports {
  memory: WebAssembly.Memory
  _initialize(): void
  malloc(bytes: number): number
  free(pointer: number): void
  lstm_lrp_wasm_model_create(fields: number, count: number, out: number): number
  lstm_lrp_wasm_predict(model: number, fields: number, count: number): number
  lstm_lrp_wasm_explain(model: number, fields: number, count: number): number
  lstm_lrp_isa(): number
  lstm_lrp_abi_version?(): number
  lstm_lrp_select_isa(name: number): number
  lstm_lrp_wasm_model_weights(model: number, fields: number, count: number): number
  lstm_lrp_wasm_gradients(model: number, fields: number, count: number, results: number): number
  lstm_lrp_wasm_evaluate(model: number, fields: number, count: number, results: number): number
  lstm_lrp_wasm_trainer_create(model: number, fields: number, count: number, out: number): number
  lstm_lrp_wasm_train_step(trainer: number, fields: number, count: number, results: number): number
  lstm_lrp_trainer_destroy(trainer: number): void
  lstm_lrp_model_destroy(model: number): void
  lstm_lrp_last_error(): number
  /** Emscripten's stack helpers: 3.1.6 exports them without being asked, so a build may lack them. */
  stackSave?(): number
  stackRestore?(pointer: number): void
}

type Typed = Float32Array | Float64Array | Int32Array

/** What the module's proc_exit throws: abort() ends the call, and guarded() reports why. */
class WasmAbort extends Error {
  constructor(readonly exitCode: number) {
    super(`the WASM kernel aborted (exit code ${exitCode})`)
  }
}

/** The module's imports: it only reports memory growth (views are made fresh per call) and exits on abort. */
export function wasmImports(): WebAssembly.Imports {
  return {
    env: { emscripten_notify_memory_growth: () => undefined },
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new WasmAbort(code)
      },
    },
  }
}

/**
 * Runs one call into the kernel. An abort or a trap leaves the call without running its C++
 * epilogues, so the stack pointer is put back by hand: otherwise every failed call would leave the
 * stack lower, until it overflowed into memory the module uses for other data. The kernel reports
 * bad input as a status and is built without exceptions, so it aborts only when an allocation fails.
 */
function guarded<T>(wasm: Exports, call: () => T): T {
  const stack = wasm.stackSave?.()
  try {
    return call()
  } catch (error) {
    if (stack !== undefined) wasm.stackRestore?.(stack)
    if (error instanceof WasmAbort) {
      const megabytes = Math.round(wasm.memory.buffer.byteLength / 2 ** 20)
      throw new LstmLrpError('E_MEMORY', `WASM memory is exhausted: an allocation in the kernel failed with ${megabytes} MiB in use (${error.message})`)
    }
    if (error instanceof WebAssembly.RuntimeError) throw new LstmLrpError('E_KERNEL', `the WASM kernel trapped: ${error.message}`)
    throw error
  }
}

/** Allocations of one call, freed together. */
class Arena {
  private readonly pointers: number[] = []

  constructor(private readonly wasm: Exports) {}

  allocate(bytes: number): number {
    const pointer = this.wasm.malloc(Math.max(bytes, 8))
    if (pointer === 0) throw new LstmLrpError('E_MEMORY', `WASM memory is exhausted (allocating ${bytes} bytes)`)
    this.pointers.push(pointer)
    return pointer
  }

  /** [pointer, length] of a copy of array in WASM memory; [0, 0] for null. */
  copyIn(array: Typed | null): [number, number] {
    if (array === null) return [0, 0]
    const pointer = this.allocate(array.byteLength)
    new Uint8Array(this.wasm.memory.buffer, pointer, array.byteLength).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
    return [pointer, array.length]
  }

  /** Room for array's contents; copyOut brings them back after the call. */
  reserve(array: Typed | null): [number, number] {
    return array === null ? [0, 0] : [this.allocate(array.byteLength), array.length]
  }

  copyOut(array: Typed | null, pointer: number): void {
    if (array === null) return
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(new Uint8Array(this.wasm.memory.buffer, pointer, array.byteLength))
  }

  /** [pointer, count] of a call's field array (its layout: the WASM_*_FIELDS of codes.ts). */
  fields(values: Float64Array): [number, number] {
    return this.copyIn(values)
  }

  release(): void {
    for (const pointer of this.pointers) this.wasm.free(pointer)
    this.pointers.length = 0
  }
}

function readCString(memory: WebAssembly.Memory, pointer: number): string {
  const bytes = new Uint8Array(memory.buffer)
  let end = pointer
  while (bytes[end] !== 0) end++
  return new TextDecoder().decode(bytes.subarray(pointer, end))
}

/** A failed kernel call's status as an LstmLrpError with the kernel's message: the code every backend raises for it. */
function checkStatus(wasm: Exports, status: number): void {
  if (status === 0) return
  const message = readCString(wasm.memory, wasm.lstm_lrp_last_error())
  throw new LstmLrpError(errorCodeOfStatus(status), message || `internal error in the WASM adapter (status ${status})`)
}

/** How a model's batch calls reach workers: null where the platform gave none (they run on the calling thread). */
interface WorkerSetup {
  workers: WasmWorkers
  /** Ends the pool of a model nobody disposed once it is garbage, so its workers do not outlive it. */
  collected: FinalizationRegistry<WasmWorkerPool>
}

class WasmKernelModel implements KernelModel {
  private threads = 1
  private pool: WasmWorkerPool | null = null

  constructor(
    private readonly wasm: Exports,
    private pointer: number,
    private readonly collected: FinalizationRegistry<number>,
    /** The model as created; a worker's copy takes its layout and the kernel's current weights. */
    private readonly desc: KernelModelDesc,
    private workers: WorkerSetup | null,
  ) {
    collected.register(this, pointer, this)
  }

  /** Runs a kernel call and turns a failed status into an LstmLrpError with the kernel's message. */
  private run(call: () => number): void {
    checkStatus(this.wasm, guarded(this.wasm, call))
  }

  private live(): number {
    if (this.pointer === 0) throw new LstmLrpError('E_DISPOSED', 'the model has been disposed')
    return this.pointer
  }

  /** A call's field array of `size` fields, starting with the batch. */
  private batchFields(arena: Arena, batch: KernelBatch, size: number): Float64Array {
    const fields = new Float64Array(size)
    fields[WASM_BATCH_FIELDS.COUNT] = batch.lengths.length
    fields[WASM_BATCH_FIELDS.LENGTHS] = arena.copyIn(batch.lengths)[0]
    fields.set(arena.copyIn(batch.inputs), WASM_BATCH_FIELDS.INPUTS)
    fields.set(arena.copyIn(batch.tokens), WASM_BATCH_FIELDS.TOKENS)
    return fields
  }

  predict(batch: KernelBatch, scores: Float32Array | Float64Array, probabilities: Float64Array | null): void {
    const arena = new Arena(this.wasm)
    try {
      const scoresAt = arena.reserve(scores)
      const probabilitiesAt = arena.reserve(probabilities)
      const values = this.batchFields(arena, batch, WASM_PREDICT_FIELDS.SIZE)
      values.set(scoresAt, WASM_PREDICT_FIELDS.SCORES)
      values.set(probabilitiesAt, WASM_PREDICT_FIELDS.PROBABILITIES)
      const [fields, count] = arena.fields(values)
      this.run(() => this.wasm.lstm_lrp_wasm_predict(this.live(), fields, count))
      arena.copyOut(scores, scoresAt[0])
      arena.copyOut(probabilities, probabilitiesAt[0])
    } finally {
      arena.release()
    }
  }

  explain(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, outputs: KernelExplainOutputs): void {
    const arena = new Arena(this.wasm)
    try {
      const outputList: Typed[] = [outputs.scores, outputs.relevance, outputs.perStep, outputs.conservation, outputs.targets]
      const outputFields = [WASM_EXPLAIN_FIELDS.SCORES, WASM_EXPLAIN_FIELDS.RELEVANCE, WASM_EXPLAIN_FIELDS.PER_STEP, WASM_EXPLAIN_FIELDS.CONSERVATION, WASM_EXPLAIN_FIELDS.TARGETS]
      const outputAt = outputList.map((array) => arena.reserve(array))
      const values = this.batchFields(arena, batch, WASM_EXPLAIN_FIELDS.SIZE)
      values.set(packExplainOptions(options), WASM_EXPLAIN_FIELDS.OPTIONS)
      values.set(arena.copyIn(options.occlusionVector), WASM_EXPLAIN_FIELDS.OCCLUSION_VECTOR)
      values.set(arena.copyIn(options.igBaseline), WASM_EXPLAIN_FIELDS.IG_BASELINE)
      values.set(arena.copyIn(targetWeights), WASM_EXPLAIN_FIELDS.TARGET_WEIGHTS)
      outputAt.forEach((at, k) => values.set(at, outputFields[k]))
      const [fields, count] = arena.fields(values)
      const status = guarded(this.wasm, () => this.wasm.lstm_lrp_wasm_explain(this.live(), fields, count))
      // An overflow is found after every output is written: they come back, as from the native addon, so each sequence's own can be checked.
      outputList.forEach((array, k) => arena.copyOut(array, outputAt[k][0]))
      checkStatus(this.wasm, status)
    } finally {
      arena.release()
    }
  }

  async explainAsync(...args: Parameters<KernelModel['explain']>): Promise<void> {
    // The event loop runs first either way: what it has to read (say, a server's requests) is read
    // before the call, which may block for a while on the calling thread, or start workers.
    await yieldToEventLoop()
    if (this.workers === null) return this.explain(...args)
    this.live()
    if (this.pool === null || this.pool.broken) this.pool = this.startPool(this.workers)
    try {
      await this.pool.explain(...args)
    } catch (error) {
      if (!(error instanceof WorkersUnavailable)) throw error
      this.endPool()
      this.workers = null
      this.explain(...args)
    }
  }

  private startPool({ workers, collected }: WorkerSetup): WasmWorkerPool {
    const { desc } = this
    const pool = new WasmWorkerPool(
      workers,
      this.threads,
      { inputSize: desc.inputSize, outputs: desc.outputs, readoutLast: desc.readout === READOUT_CODES.last },
      this.currentDesc(),
      readCString(this.wasm.memory, this.wasm.lstm_lrp_isa()),
    )
    collected.register(this, pool, pool)
    return pool
  }

  /** The model with the kernel's current weights: training changes them in place. */
  private currentDesc(): KernelModelDesc {
    const blank = <T extends Typed | null>(array: T): T => (array === null ? array : (new (array.constructor as new (length: number) => Typed)(array.length) as T))
    const { desc } = this
    const out: KernelTensors = {
      embedding: blank(desc.embedding),
      layers: desc.layers.map(({ W, U, b, bHn }) => ({
        W: [blank(W[0]), blank(W[1])],
        U: [blank(U[0]), blank(U[1])],
        b: [blank(b[0]), blank(b[1])],
        bHn: [blank(bHn[0]), blank(bHn[1])],
      })),
      headWeight: blank(desc.headWeight),
      headBias: blank(desc.headBias),
    }
    this.weights(out)
    return { ...desc, embedding: out.embedding, layers: desc.layers.map((layer, l) => ({ ...layer, ...out.layers[l] })), headWeight: out.headWeight, headBias: out.headBias }
  }

  /** Workers hold copies of the weights: after a change they are ended, and the next batch call starts fresh ones. */
  private endPool(): void {
    if (this.pool === null) return
    this.workers?.collected.unregister(this.pool)
    this.pool.terminate()
    this.pool = null
  }

  /** Every tensor buffer with its field in a set of tensors (WASM_TENSORS_FIELDS). */
  private tensorList(out: KernelTensors): [Typed | null, number][] {
    const head = WASM_TENSORS_FIELDS.LAYERS + out.layers.length * WASM_TENSOR_LAYER_FIELDS.SIZE
    return [
      [out.embedding, WASM_TENSORS_FIELDS.EMBEDDING],
      ...out.layers.flatMap((layer, l) => {
        const first = WASM_TENSORS_FIELDS.LAYERS + l * WASM_TENSOR_LAYER_FIELDS.SIZE
        const pairs: [(Typed | null)[], number][] = [
          [layer.W, WASM_TENSOR_LAYER_FIELDS.W],
          [layer.U, WASM_TENSOR_LAYER_FIELDS.U],
          [layer.b, WASM_TENSOR_LAYER_FIELDS.B],
          [layer.bHn, WASM_TENSOR_LAYER_FIELDS.B_HN],
        ]
        return pairs.flatMap(([pair, at]) => pair.map((array, direction): [Typed | null, number] => [array, first + at + 2 * direction]))
      }),
      [out.headWeight, head + WASM_TENSOR_HEAD_FIELDS.WEIGHT],
      [out.headBias, head + WASM_TENSOR_HEAD_FIELDS.BIAS],
    ]
  }

  /** The fields of `out` written into `values` from `base` on (the end of the array); room reserved for each tensor. */
  private tensorFields(arena: Arena, out: KernelTensors, values: Float64Array, base: number): [number, number][] {
    values[base + WASM_TENSORS_FIELDS.NUM_LAYERS] = out.layers.length
    return this.tensorList(out).map(([array, at]) => {
      const reserved = arena.reserve(array)
      values.set(reserved, base + at)
      return reserved
    })
  }

  private tensorFieldCount(out: KernelTensors): number {
    return WASM_TENSORS_FIELDS.LAYERS + out.layers.length * WASM_TENSOR_LAYER_FIELDS.SIZE + WASM_TENSOR_HEAD_FIELDS.SIZE
  }

  private copyTensorsOut(arena: Arena, out: KernelTensors, at: [number, number][]): void {
    this.tensorList(out).forEach(([array], k) => arena.copyOut(array, at[k][0]))
  }

  weights(out: KernelTensors): void {
    const arena = new Arena(this.wasm)
    try {
      const values = new Float64Array(this.tensorFieldCount(out))
      const at = this.tensorFields(arena, out, values, 0)
      const [fields, count] = arena.fields(values)
      this.run(() => this.wasm.lstm_lrp_wasm_model_weights(this.live(), fields, count))
      this.copyTensorsOut(arena, out, at)
    } finally {
      arena.release()
    }
  }

  gradients(batch: KernelBatch, loss: number, targets: Float64Array, out: KernelTensors): number {
    const arena = new Arena(this.wasm)
    try {
      const results = arena.allocate(8)
      const values = this.batchFields(arena, batch, WASM_LOSS_FIELDS.SIZE + this.tensorFieldCount(out))
      values[WASM_LOSS_FIELDS.LOSS] = loss
      values.set(arena.copyIn(targets), WASM_LOSS_FIELDS.TARGETS)
      const at = this.tensorFields(arena, out, values, WASM_LOSS_FIELDS.SIZE)
      const [fields, count] = arena.fields(values)
      this.run(() => this.wasm.lstm_lrp_wasm_gradients(this.live(), fields, count, results))
      this.copyTensorsOut(arena, out, at)
      return new Float64Array(this.wasm.memory.buffer, results, 1)[0]
    } finally {
      arena.release()
    }
  }

  async evaluateAsync(batch: KernelBatch, loss: number, targets: Float64Array): Promise<{ loss: number; correct: number }> {
    await yieldToEventLoop()
    const arena = new Arena(this.wasm)
    try {
      const results = arena.allocate(16)
      const values = this.batchFields(arena, batch, WASM_LOSS_FIELDS.SIZE)
      values[WASM_LOSS_FIELDS.LOSS] = loss
      values.set(arena.copyIn(targets), WASM_LOSS_FIELDS.TARGETS)
      const [fields, count] = arena.fields(values)
      this.run(() => this.wasm.lstm_lrp_wasm_evaluate(this.live(), fields, count, results))
      const [mean, correct] = new Float64Array(this.wasm.memory.buffer, results, 2)
      return { loss: mean, correct }
    } finally {
      arena.release()
    }
  }

  createTrainer(options: KernelTrainOptions): KernelTrainer {
    const arena = new Arena(this.wasm)
    let trainer = 0
    try {
      const out = arena.allocate(4)
      const values = new Float64Array(WASM_TRAINER_FIELDS.SIZE)
      values[WASM_TRAINER_FIELDS.LOSS] = options.loss
      values[WASM_TRAINER_FIELDS.OPTIMIZER] = options.optimizer
      values[WASM_TRAINER_FIELDS.LEARNING_RATE] = options.learningRate
      values[WASM_TRAINER_FIELDS.BETA1] = options.beta1
      values[WASM_TRAINER_FIELDS.BETA2] = options.beta2
      values[WASM_TRAINER_FIELDS.EPSILON] = options.epsilon
      values[WASM_TRAINER_FIELDS.WEIGHT_DECAY] = options.weightDecay
      values[WASM_TRAINER_FIELDS.CLIP_NORM] = options.clipNorm
      const [fields, count] = arena.fields(values)
      this.run(() => this.wasm.lstm_lrp_wasm_trainer_create(this.live(), fields, count, out))
      trainer = new Uint32Array(this.wasm.memory.buffer, out, 1)[0]
    } finally {
      arena.release()
    }
    return {
      stepAsync: async (batch, targets) => {
        await yieldToEventLoop()
        if (trainer === 0) throw new LstmLrpError('E_DISPOSED', 'the trainer has been disposed')
        this.endPool()
        const step = new Arena(this.wasm)
        try {
          const results = step.allocate(8)
          const values = this.batchFields(step, batch, WASM_STEP_FIELDS.SIZE)
          values.set(step.copyIn(targets), WASM_STEP_FIELDS.TARGETS)
          const [fields, count] = step.fields(values)
          this.run(() => this.wasm.lstm_lrp_wasm_train_step(trainer, fields, count, results))
          return new Float64Array(this.wasm.memory.buffer, results, 1)[0]
        } finally {
          step.release()
        }
      },
      dispose: () => {
        if (trainer !== 0) this.wasm.lstm_lrp_trainer_destroy(trainer)
        trainer = 0
      },
    }
  }

  /** The module is built without threads: batch calls spread over this many workers, where the platform has them. */
  setThreads(threads: number): void {
    if (threads === this.threads) return
    this.threads = threads
    this.endPool()
  }

  dispose(): void {
    if (this.pointer === 0) return
    this.endPool()
    this.collected.unregister(this)
    this.wasm.lstm_lrp_model_destroy(this.pointer)
    this.pointer = 0
  }
}

/**
 * What the WASM kernel runs on the calling thread (training steps, evaluation, and batch calls where
 * there are no workers) blocks it: async calls first let the event loop run.
 * setImmediate where it exists (Node): setTimeout(0) is clamped to about 1 ms a call.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve))
  return new Promise((resolve) => setTimeout(resolve, 0))
}

function createModel(wasm: Exports, desc: KernelModelDesc, collected: FinalizationRegistry<number>, workers: WorkerSetup | null): KernelModel {
  const arena = new Arena(wasm)
  try {
    const fields = new Float64Array(WASM_MODEL_FIELDS.SIZE + desc.layers.length * WASM_LAYER_FIELDS.SIZE)
    fields[WASM_MODEL_FIELDS.DTYPE] = desc.dtype
    fields[WASM_MODEL_FIELDS.INPUT_SIZE] = desc.inputSize
    fields[WASM_MODEL_FIELDS.VOCAB_SIZE] = desc.vocabSize
    fields.set(arena.copyIn(desc.embedding), WASM_MODEL_FIELDS.EMBEDDING)
    fields[WASM_MODEL_FIELDS.NUM_LAYERS] = desc.layers.length
    fields[WASM_MODEL_FIELDS.OUTPUTS] = desc.outputs
    fields.set(arena.copyIn(desc.headWeight), WASM_MODEL_FIELDS.HEAD_WEIGHT)
    fields.set(arena.copyIn(desc.headBias), WASM_MODEL_FIELDS.HEAD_BIAS)
    fields[WASM_MODEL_FIELDS.READOUT] = desc.readout
    fields[WASM_MODEL_FIELDS.INPUT_PROJECTION_TABLE] = desc.inputProjectionTable
    desc.layers.forEach((layer, l) => {
      const first = WASM_MODEL_FIELDS.SIZE + l * WASM_LAYER_FIELDS.SIZE
      const { cell } = layer
      fields[first + WASM_LAYER_FIELDS.HIDDEN_SIZE] = layer.hiddenSize
      fields[first + WASM_LAYER_FIELDS.BIDIRECTIONAL] = layer.bidirectional ? 1 : 0
      fields[first + WASM_LAYER_FIELDS.TYPE] = cell.type
      fields[first + WASM_LAYER_FIELDS.RESET_AFTER] = cell.resetAfter ? 1 : 0
      fields[first + WASM_LAYER_FIELDS.G] = cell.g
      fields[first + WASM_LAYER_FIELDS.G_SCALE] = cell.gScale
      fields[first + WASM_LAYER_FIELDS.H] = cell.h
      fields[first + WASM_LAYER_FIELDS.H_SCALE] = cell.hScale
      fields.set(cell.gatePresent.map(Number), first + WASM_LAYER_FIELDS.GATE_PRESENT)
      fields.set(cell.inputConnected.map(Number), first + WASM_LAYER_FIELDS.INPUT_CONNECTED)
      fields.set(cell.recurrentConnected.map(Number), first + WASM_LAYER_FIELDS.RECURRENT_CONNECTED)
      const pairs: [(Typed | null)[], number][] = [
        [layer.W, WASM_LAYER_FIELDS.W],
        [layer.U, WASM_LAYER_FIELDS.U],
        [layer.b, WASM_LAYER_FIELDS.B],
        [layer.bHn, WASM_LAYER_FIELDS.B_HN],
      ]
      for (const [pair, at] of pairs) pair.forEach((array, direction) => fields.set(arena.copyIn(array), first + at + 2 * direction))
    })
    const out = arena.allocate(4)
    const [fieldsAt, count] = arena.fields(fields)
    checkStatus(
      wasm,
      guarded(wasm, () => wasm.lstm_lrp_wasm_model_create(fieldsAt, count, out)),
    )
    return new WasmKernelModel(wasm, new Uint32Array(wasm.memory.buffer, out, 1)[0], collected, desc, workers)
  } finally {
    arena.release()
  }
}

/** Where the machine's memory is unknown (browsers): what a browser tab can usually hold. */
const DEFAULT_MEMORY_LIMIT = 2 ** 31

/**
 * A backend over an instantiated module (instantiation differs between Node and browsers). With
 * workers, explainAsync runs on them; without, every call runs on the calling thread.
 */
export function wasmBackend(instance: WebAssembly.Instance, memoryLimit = DEFAULT_MEMORY_LIMIT, workers?: WasmWorkers): Backend {
  const wasm = instance.exports as unknown as Exports
  wasm._initialize()
  // A module from another build (a stale copy, or one a cache kept) would misread every call's fields.
  checkAbiVersion('the WebAssembly module', wasm.lstm_lrp_abi_version?.(), 'load the .wasm files shipped with this version of the package')
  // A model nobody disposed is freed once it is garbage: the module's memory would fill up otherwise.
  // Calls in flight hold their model, and its trainers hold it through their closures.
  const collected = new FinalizationRegistry<number>((pointer) => wasm.lstm_lrp_model_destroy(pointer))
  const setup: WorkerSetup | null = workers === undefined ? null : { workers, collected: new FinalizationRegistry((pool) => pool.terminate()) }
  const parallelism = workers?.parallelism ?? 1
  return {
    parallelism,
    memoryLimit,
    info: () => ({ backend: 'wasm', simd: readCString(wasm.memory, wasm.lstm_lrp_isa()), threads: parallelism }),
    selectSimd: (level) => {
      const arena = new Arena(wasm)
      try {
        const name = new TextEncoder().encode(`${level}\0`)
        const pointer = arena.allocate(name.length)
        new Uint8Array(wasm.memory.buffer, pointer, name.length).set(name)
        const status = wasm.lstm_lrp_select_isa(pointer)
        if (status !== 0) throw new LstmLrpError('E_BACKEND', readCString(wasm.memory, wasm.lstm_lrp_last_error()))
      } finally {
        arena.release()
      }
    },
    createModel: (desc) => createModel(wasm, desc, collected, setup),
  }
}
