/** The N-API addon as a backend: loaded with node-gyp-build (prebuild, then local build). */
import { availableParallelism, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import load from 'node-gyp-build'
import type { Backend, KernelBatch, KernelModel, KernelModelDesc, KernelTensors, KernelTrainer, KernelTrainOptions } from './types.js'
import type { FloatArray } from '../model/types.js'
import { packExplainOptions } from './packed-options.js'
import { LstmLrpError } from '../errors.js'
import { checkAbiVersion, errorCodeOfStatus } from './codes.js'
import { packageRoot } from './package-root.js'

interface Addon {
  NativeModel: new (desc: KernelModelDesc) => AddonModel
  info(): { simd: string; abiVersion?: number }
  selectIsa(name: string): void
}

/** Kernel errors arrive as plain Errors with a status code; give them the library's type. */
function kernelCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw asLibraryError(error)
  }
}

/** The same for a call that settles later: its rejection, like a synchronous throw, gets the library's type. */
async function kernelCallAsync<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw asLibraryError(error)
  }
}

export function asLibraryError(error: unknown): unknown {
  if (!(error instanceof Error && 'status' in error)) return error
  return new LstmLrpError(errorCodeOfStatus(Number(error.status)), error.message)
}

/**
 * The addon's model: explain takes its arrays positionally (the batch's, the options packed by
 * lstm_lrp_unpack_explain_options's layout and their two vectors, the target weights, the outputs).
 */
type ExplainArguments = [
  lengths: Int32Array,
  inputs: FloatArray | null,
  tokens: Int32Array | null,
  packedOptions: Float64Array,
  occlusionVector: FloatArray | null,
  igBaseline: FloatArray | null,
  targetWeights: Float64Array | null,
  scores: FloatArray,
  relevance: FloatArray,
  perStep: FloatArray,
  conservation: Float64Array,
  targets: Int32Array,
]
type AddonModel = Omit<KernelModel, 'explain' | 'explainAsync'> & {
  explain(...args: ExplainArguments): void
  explainAsync(...args: ExplainArguments): Promise<void>
}

function explainArguments(...[batch, options, weights, outputs]: Parameters<KernelModel['explain']>): ExplainArguments {
  return [
    batch.lengths,
    batch.inputs,
    batch.tokens,
    packExplainOptions(options),
    options.occlusionVector,
    options.igBaseline,
    weights,
    outputs.scores,
    outputs.relevance,
    outputs.perStep,
    outputs.conservation,
    outputs.targets,
  ]
}

class NativeKernelModel implements KernelModel {
  constructor(private readonly model: AddonModel) {}

  predict(...args: Parameters<KernelModel['predict']>): void {
    kernelCall(() => this.model.predict(...args))
  }

  explain(...args: Parameters<KernelModel['explain']>): void {
    kernelCall(() => this.model.explain(...explainArguments(...args)))
  }

  explainAsync(...args: Parameters<KernelModel['explainAsync']>): Promise<void> {
    return kernelCallAsync(() => this.model.explainAsync(...explainArguments(...args)))
  }

  weights(out: KernelTensors): void {
    kernelCall(() => this.model.weights(out))
  }

  setThreads(threads: number): void {
    kernelCall(() => this.model.setThreads(threads))
  }

  gradients(...args: Parameters<KernelModel['gradients']>): number {
    return kernelCall(() => this.model.gradients(...args))
  }

  async evaluateAsync(batch: KernelBatch, loss: number, targets: Float64Array): Promise<{ loss: number; correct: number }> {
    const correct = new Float64Array(1)
    const raw = this.model as unknown as NativeEvaluate
    const mean = await kernelCallAsync(() => raw.evaluateAsync(batch, loss, targets, correct))
    return { loss: mean, correct: correct[0] }
  }

  createTrainer(options: KernelTrainOptions): KernelTrainer {
    const trainer = kernelCall(() => this.model.createTrainer(options))
    return {
      stepAsync: (batch, targets) => kernelCallAsync(() => trainer.stepAsync(batch, targets)),
      dispose: () => trainer.dispose(),
    }
  }

  dispose(): void {
    this.model.dispose()
  }
}

/** The addon's evaluate writes the correct count into a one-element array. */
interface NativeEvaluate {
  evaluateAsync(batch: KernelBatch, loss: number, targets: Float64Array, correct: Float64Array): Promise<number>
}

/** What a user can do when the addon does not load or does not match this package. */
const NATIVE_REMEDY = "rebuild it (npm rebuild lstm-lrp, which compiles it with node-gyp: a C++ compiler, make and Python) or use backend: 'wasm'"

/**
 * The package root is two folders up from dist/backend/ (and lib/backend/): a static path, so
 * file tracers and bundlers (@vercel/nft) see which prebuild to ship. The CommonJS bundle
 * (dist/index.cjs) sits one folder higher and finds the root by walking up instead.
 */
function loadAddon(): Addon {
  try {
    return load(fileURLToPath(new URL('../..', import.meta.url))) as Addon
  } catch {
    try {
      return load(packageRoot()) as Addon
    } catch (error) {
      const cause = String((error as Error)?.message ?? error).split('\n')[0]
      throw new Error(`the addon did not load (${cause}): ${NATIVE_REMEDY}`)
    }
  }
}

export function loadNativeBackend(): Backend {
  const addon = loadAddon()
  checkAbiVersion('the native addon', addon.info().abiVersion, NATIVE_REMEDY)
  return {
    parallelism: availableParallelism(),
    memoryLimit: Math.floor(totalmem() / 2),
    // Each batch call splits its sequences across the kernel's own threads.
    info: () => ({ backend: 'native', simd: addon.info().simd, threads: availableParallelism() }),
    selectSimd: (level) => kernelCall(() => addon.selectIsa(level)),
    createModel: (desc) => new NativeKernelModel(kernelCall(() => new addon.NativeModel(desc))),
  }
}
