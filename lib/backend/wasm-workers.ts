/**
 * What the WASM backend needs from a platform to run batch calls on workers (worker_threads in
 * Node, module Web Workers in browsers), and the messages between the pool and a worker.
 */
import type { KernelBatch, KernelExplainOptions, KernelExplainOutputs, KernelModelDesc } from './types.js'
import type { LstmLrpErrorCode } from '../errors.js'
import type { ExplainOutputSizes } from './explain-outputs.js'

/** A worker as the pool drives it; wasm-node.ts and wasm-browser.ts adapt their platform's. */
export interface WorkerPort {
  post(message: WorkerRequest, transfer: ArrayBuffer[]): void
  /** Whether the worker keeps the process alive (Node: while a call waits on it); nothing in browsers. */
  hold(busy: boolean): void
  terminate(): void
}

export interface WorkerEvents {
  reply(reply: WorkerReply): void
  /** The worker itself failed (its script did not load, or it died). */
  failure(error: Error): void
}

export interface WasmWorkers {
  /** The compiled module the calling thread runs: every worker instantiates the same one. */
  module: WebAssembly.Module
  /** Default worker count of a model's batch calls. */
  parallelism: number
  spawn(events: WorkerEvents): WorkerPort
}

export type WorkerRequest =
  | { kind: 'init'; module: WebAssembly.Module; isa: string; desc: KernelModelDesc }
  | {
      kind: 'explain'
      id: number
      batch: KernelBatch
      options: KernelExplainOptions
      targetWeights: Float64Array | null
      /** Lengths of the output arrays to fill, and whether the floats are f64. */
      sizes: ExplainOutputSizes
      double: boolean
      /** Buffers of earlier replies, handed back for later outputs once their contents were copied. */
      spare: ArrayBuffer[]
    }

export interface WorkerReply {
  id: number
  /** Views of one buffer, which the reply hands over. */
  outputs: KernelExplainOutputs
  /** The kernel call's failure, as its LstmLrpError's code and message. */
  error: WorkerError | null
}

export interface WorkerError {
  code: LstmLrpErrorCode
  message: string
}

/** Workers a machine's cores suggest: each holds its own module memory and model copy, and a call of at most 512 sequences gains little from more. */
export const MAX_DEFAULT_WORKERS = 8

export function defaultWorkers(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, Math.floor(cores ?? 1)))
}
