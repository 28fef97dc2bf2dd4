/** The module Web Worker entry of the WASM backend's pool (lib/backend/wasm-pool.ts). */
import type { WorkerReply, WorkerRequest } from './wasm-workers.js'
import { wasmWorker } from './wasm-worker.js'

/** The worker's global scope, as far as it is used here (the build has no DOM types). */
declare const self: {
  postMessage(message: WorkerReply, transfer: ArrayBuffer[]): void
  onmessage: ((event: { data: WorkerRequest }) => void) | null
}

const handle = wasmWorker((reply, transfer) => self.postMessage(reply, transfer))
self.onmessage = (event) => handle(event.data)
