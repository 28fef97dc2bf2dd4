/**
 * The variables of a Keras 3 model.weights.h5, read in a worker thread (hdf5-worker.ts) under a
 * time limit: the HDF5 library cannot be bounded from outside on a damaged file (it may loop
 * forever), and it prints its error stack, which must not reach the user's stderr.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Tensor } from '../model/types.js'
import { packageRoot } from '../backend/package-root.js'
import type { KerasPart } from './keras-layers.js'

/** The datasets vars/0, vars/1, ... of one layer (or one direction of a Bidirectional), in the order `roles` names them. */
export interface VariableRequest {
  layer: string
  part?: KerasPart
  /** An LSTM's or GRU's variables are under cell/vars. */
  recurrent: boolean
  roles: string[]
}

export interface Hdf5Request {
  /** model.weights.h5, written to a private temporary folder. */
  path: string
  weightsEntry: string
  variables: VariableRequest[]
}

export type Hdf5Reply =
  | { kind: 'weights'; layers: string[]; variables: { layer: string; part?: KerasPart; tensors: (Tensor | null)[] }[] }
  /** The file is HDF5 but not the weights we need (an E_IMPORT message). */
  | { kind: 'problem'; message: string }
  /** HDF5 could not read the file (its own message). */
  | { kind: 'damaged'; message: string }
  | { kind: 'timeout' }

/** What the worker posts: 'ready' once h5wasm is loaded, then its reply. */
export type WorkerMessage = Hdf5Reply | { kind: 'ready' }

/** The JavaScript heap the worker may use; h5wasm's own memory is WebAssembly memory, limited by the module. */
const WORKER_HEAP_MB = 2048

/** tsx's ESM API, located through its package.json (import.meta.resolve does not exist in the CommonJS bundle). */
function tsxApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json')
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api'].import.default)).href
}

/**
 * The worker's code: it imports hdf5-worker.js beside this module (dist/io/), which the CommonJS
 * bundle finds from the package root. Run from source (lib/, under tsx, as the tests do), it imports
 * hdf5-worker.ts after registering tsx, which Node 20 does not carry into workers.
 */
function workerSource(): string {
  const here = fileURLToPath(import.meta.url)
  const quoted = (url: string): string => JSON.stringify(url)
  if (path.extname(here) === '.ts') {
    const worker = pathToFileURL(path.join(path.dirname(here), 'hdf5-worker.ts')).href
    return `import(${quoted(tsxApiUrl())}).then(({ register }) => { register(); return import(${quoted(worker)}) })`
  }
  const beside = path.join(path.dirname(here), 'hdf5-worker.js')
  return `import(${quoted(pathToFileURL(existsSync(beside) ? beside : path.join(packageRoot(), 'dist', 'io', 'hdf5-worker.js')).href)})`
}

function runWorker(request: Hdf5Request, timeoutSeconds: number): Promise<Hdf5Reply> {
  return new Promise((resolve) => {
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: request,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    })
    // Whatever the worker prints (an aborting WebAssembly module's diagnostics) is read and dropped.
    worker.stdout.resume()
    worker.stderr.resume()
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const settle = (reply: Hdf5Reply): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(reply)
      void worker.terminate()
    }
    // The limit is on reading the file: starting the thread and compiling h5wasm take what the machine's load makes them take.
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutSeconds * 1000)
      else settle(message)
    })
    worker.once('error', (error) => settle({ kind: 'damaged', message: error.message }))
    worker.once('exit', (code) => settle({ kind: 'damaged', message: `the HDF5 reader stopped (exit code ${code})` }))
  })
}

export async function readKerasWeights(bytes: Uint8Array, request: Omit<Hdf5Request, 'path'>, timeoutSeconds: number): Promise<Hdf5Reply> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lstm-lrp-keras-'))
  try {
    const file = path.join(folder, 'model.weights.h5')
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 })
    return await runWorker({ ...request, path: file }, timeoutSeconds)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
