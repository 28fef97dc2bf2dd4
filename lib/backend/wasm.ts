/** The WASM module as a backend: copies arrays into its memory, calls the C ABI, copies results out. */
import type { Backend, KernelBatch, KernelExplainOptions, KernelExplainOutputs, KernelModel, KernelModelDesc, KernelTensors, KernelTrainer, KernelTrainOptions } from './types.js'
import type { WasmWorkers } from './wasm-workers.js'
import { LstmLrpError } from '../errors.js'
import { checkAbiVersion, errorCodeOfStatus, READOUT_CODES } from './codes.js'
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

  fields(values: number[]): [number, number] {
    return this.copyIn(Float64Array.from(values))
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
    this.check(guarded(this.wasm, call))
  }

  private check(status: number): void {
    if (status === 0) return
    const message = readCString(this.wasm.memory, this.wasm.lstm_lrp_last_error())
    throw new LstmLrpError(errorCodeOfStatus(status), message || `internal error in the WASM adapter (status ${status})`)
  }

  private live(): number {
    if (this.pointer === 0) throw new LstmLrpError('E_DISPOSED', 'the model has been disposed')
    return this.pointer
  }

  private batchFields(arena: Arena, batch: KernelBatch): number[] {
    return [batch.lengths.length, arena.copyIn(batch.lengths)[0], ...arena.copyIn(batch.inputs), ...arena.copyIn(batch.tokens)]
  }

  predict(batch: KernelBatch, scores: Float32Array | Float64Array, probabilities: Float64Array | null): void {
    const arena = new Arena(this.wasm)
    try {
      const scoresAt = arena.reserve(scores)
      const probabilitiesAt = arena.reserve(probabilities)
      const [fields, count] = arena.fields([...this.batchFields(arena, batch), ...scoresAt, ...probabilitiesAt])
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
      const outputAt = outputList.map((array) => arena.reserve(array))
      const [fields, count] = arena.fields([
        ...this.batchFields(arena, batch),
        ...packExplainOptions(options),
        ...arena.copyIn(options.occlusionVector),
        ...arena.copyIn(options.igBaseline),
        ...arena.copyIn(targetWeights),
        ...outputAt.flat(),
      ])
      const status = guarded(this.wasm, () => this.wasm.lstm_lrp_wasm_explain(this.live(), fields, count))
      // An overflow is found after every output is written: they come back, as from the native addon, so each sequence's own can be checked.
      outputList.forEach((array, k) => arena.copyOut(array, outputAt[k][0]))
      this.check(status)
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
      layers: desc.layers.map(({ W, U, b }) => ({ W: [blank(W[0]), blank(W[1])], U: [blank(U[0]), blank(U[1])], b: [blank(b[0]), blank(b[1])] })),
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

  /** Every tensor buffer in the order of the ABI's tensor fields. */
  private tensorList(out: KernelTensors): (Typed | null)[] {
    const layers = out.layers.flatMap((layer) => [...layer.W, ...layer.U, ...layer.b])
    return [out.embedding, ...layers, out.headWeight, out.headBias]
  }

  private tensorFields(arena: Arena, out: KernelTensors): { fields: number[]; at: [number, number][] } {
    const at = this.tensorList(out).map((array) => arena.reserve(array))
    const perLayer = 6
    const layerFields = out.layers.flatMap((_, l) => at.slice(1 + l * perLayer, 1 + (l + 1) * perLayer).flat())
    return { fields: [...at[0], out.layers.length, ...layerFields, ...at[at.length - 2], ...at[at.length - 1]], at }
  }

  private copyTensorsOut(arena: Arena, out: KernelTensors, at: [number, number][]): void {
    this.tensorList(out).forEach((array, k) => arena.copyOut(array, at[k][0]))
  }

  weights(out: KernelTensors): void {
    const arena = new Arena(this.wasm)
    try {
      const { fields: tensorFields, at } = this.tensorFields(arena, out)
      const [fields, count] = arena.fields(tensorFields)
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
      const { fields: tensorFields, at } = this.tensorFields(arena, out)
      const [fields, count] = arena.fields([...this.batchFields(arena, batch), loss, ...arena.copyIn(targets), ...tensorFields])
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
      const [fields, count] = arena.fields([...this.batchFields(arena, batch), loss, ...arena.copyIn(targets)])
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
      const [fields, count] = arena.fields([options.loss, options.optimizer, options.learningRate, options.beta1, options.beta2, options.epsilon, options.weightDecay, options.clipNorm])
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
          const [fields, count] = step.fields([...this.batchFields(step, batch), ...step.copyIn(targets)])
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
 * The WASM kernel runs on the calling thread: async calls first let the event loop run.
 * setImmediate where it exists (Node): setTimeout(0) is clamped to about 1 ms a call.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve))
  return new Promise((resolve) => setTimeout(resolve, 0))
}

function createModel(wasm: Exports, desc: KernelModelDesc, collected: FinalizationRegistry<number>, workers: WorkerSetup | null): KernelModel {
  const arena = new Arena(wasm)
  try {
    const fields: number[] = [
      desc.dtype,
      desc.inputSize,
      desc.vocabSize,
      ...arena.copyIn(desc.embedding),
      desc.layers.length,
      desc.outputs,
      ...arena.copyIn(desc.headWeight),
      ...arena.copyIn(desc.headBias),
      desc.readout,
      desc.inputProjectionTable,
    ]
    for (const layer of desc.layers) {
      const { cell } = layer
      fields.push(layer.hiddenSize, layer.bidirectional ? 1 : 0, cell.g, cell.gScale, cell.h, cell.hScale)
      for (const flags of [cell.gatePresent, cell.inputConnected, cell.recurrentConnected]) fields.push(...flags.map(Number))
      for (const pair of [layer.W, layer.U, layer.b]) for (const array of pair) fields.push(...arena.copyIn(array))
    }
    const out = arena.allocate(4)
    const [fieldsAt, count] = arena.fields(fields)
    const status = guarded(wasm, () => wasm.lstm_lrp_wasm_model_create(fieldsAt, count, out))
    if (status !== 0) {
      const message = readCString(wasm.memory, wasm.lstm_lrp_last_error())
      throw new LstmLrpError(errorCodeOfStatus(status), message || `internal error in the WASM adapter (status ${status})`)
    }
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
