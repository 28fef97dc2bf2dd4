/**
 * Loads the WASM backend in browsers (and any runtime with fetch): SIMD when supported, else plain.
 * Batch calls run on module Web Workers where the runtime has them.
 */
import type { Backend } from './types.js'
import type { WasmWorkers, WorkerEvents, WorkerPort, WorkerReply, WorkerRequest } from './wasm-workers.js'
import { defaultWorkers } from './wasm-workers.js'
import { WASM_FILES, wasmBackend, wasmImports, wasmSimdSupported, type WasmVariant } from './wasm.js'

/** A Web Worker, as far as it is used here (the build has no DOM types). */
interface WebWorker {
  postMessage(message: WorkerRequest, transfer: ArrayBuffer[]): void
  addEventListener(type: 'message', listener: (event: { data: WorkerReply }) => void): void
  addEventListener(type: 'error' | 'messageerror', listener: (event: { message?: string }) => void): void
  terminate(): void
}

declare const Worker: (new (url: URL, options: { type: 'module' }) => WebWorker) | undefined
declare const navigator: { hardwareConcurrency?: number } | undefined

/** Where each module comes from: a URL, or the module's bytes. */
export type WasmSources = Partial<Record<WasmVariant, URL | string | ArrayBuffer | Uint8Array>>

function defaultSource(variant: WasmVariant): URL {
  // Bundlers see this pattern and ship the file next to the bundle.
  return variant === 'simd' ? new URL('../../wasm/lstm_lrp.simd.wasm', import.meta.url) : new URL('../../wasm/lstm_lrp.wasm', import.meta.url)
}

async function bytesOf(source: URL | string | ArrayBuffer | Uint8Array, variant: WasmVariant): Promise<ArrayBuffer> {
  if (source instanceof ArrayBuffer) return source
  if (source instanceof Uint8Array) return source.slice().buffer
  const response = await fetch(source)
  if (!response.ok) throw new Error(`cannot fetch ${WASM_FILES[variant]} from ${String(source)}: HTTP ${response.status}`)
  return response.arrayBuffer()
}

export function browserVariant(): WasmVariant {
  return wasmSimdSupported() ? 'simd' : 'plain'
}

/** The default worker count of a model's batch calls: the browser's logical cores, up to 8. */
export function browserParallelism(): number {
  return defaultWorkers(typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency)
}

function spawnWorker(events: WorkerEvents): WorkerPort {
  // Bundlers see this pattern and bundle the worker's module next to the bundle.
  const worker = new Worker!(new URL('./wasm-worker-browser.js', import.meta.url), { type: 'module' })
  worker.addEventListener('message', (event) => events.reply(event.data))
  for (const type of ['error', 'messageerror'] as const) worker.addEventListener(type, (event) => events.failure(new Error(event.message || `the worker raised '${type}'`)))
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    hold: () => undefined,
    terminate: () => worker.terminate(),
  }
}

export async function loadBrowserWasmBackend(sources: WasmSources = {}): Promise<Backend> {
  const variant = browserVariant()
  const bytes = await bytesOf(sources[variant] ?? defaultSource(variant), variant)
  const module = await WebAssembly.compile(bytes)
  const workers: WasmWorkers | undefined = typeof Worker === 'function' ? { module, parallelism: browserParallelism(), spawn: spawnWorker } : undefined
  return wasmBackend(await WebAssembly.instantiate(module, wasmImports()), undefined, workers)
}
