/** The worker_threads entry of the WASM backend's pool (lib/backend/wasm-pool.ts). */
import { parentPort } from 'node:worker_threads'
import type { WorkerRequest } from './wasm-workers.js'
import { wasmWorker } from './wasm-worker.js'

const port = parentPort
if (port === null) throw new Error('wasm-worker-node runs as a worker thread')
const handle = wasmWorker((reply, transfer) => port.postMessage(reply, transfer))
port.on('message', (request: WorkerRequest) => handle(request))
