/** Loads the WASM backend in Node from the package's wasm/ folder; batch calls run on worker threads. */
import { readFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Backend } from './types.js'
import type { WasmWorkers, WorkerEvents, WorkerPort } from './wasm-workers.js'
import { defaultWorkers } from './wasm-workers.js'
import { packageRoot } from './package-root.js'
import { WASM_FILES, wasmBackend, wasmImports, wasmSimdSupported, type WasmVariant } from './wasm.js'

/**
 * The worker runs the same build as this module: dist/'s JavaScript, also from the CommonJS bundle
 * (whose import.meta.url is dist/index.cjs), or the TypeScript sources when they run under tsx,
 * whose loader a worker thread does not inherit.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(pathToFileURL(path.join(packageRoot(), 'dist', 'backend', 'wasm-worker-node.js')))
  const entry = new URL('./wasm-worker-node.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`, { eval: true })
}

function spawnWorker(events: WorkerEvents): WorkerPort {
  const worker = startWorker()
  worker.on('message', events.reply)
  worker.on('error', events.failure)
  worker.on('exit', (code) => events.failure(new Error(`the worker exited with code ${code}`)))
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    // An idle worker must not keep the process alive; one a call waits on must, like the call itself.
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => {
      worker.removeAllListeners('exit')
      void worker.terminate()
    },
  }
}

export function loadWasmBackend(variant: WasmVariant): Backend {
  if (variant === 'simd' && !wasmSimdSupported()) throw new Error('WebAssembly SIMD is not supported by this runtime')
  const bytes = readFileSync(path.join(packageRoot(), 'wasm', WASM_FILES[variant]))
  const module = new WebAssembly.Module(bytes)
  const workers: WasmWorkers = { module, parallelism: defaultWorkers(availableParallelism()), spawn: spawnWorker }
  return wasmBackend(new WebAssembly.Instance(module, wasmImports()), Math.floor(totalmem() / 2), workers)
}
