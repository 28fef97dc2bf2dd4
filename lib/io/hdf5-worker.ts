/**
 * Runs in a worker thread (keras-weights.ts starts it): reads the variables a Keras model needs from
 * its model.weights.h5 with h5wasm. HDF5 can loop forever or print pages of diagnostics on a
 * damaged file; here the thread can be stopped at a time limit and its output dropped.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Tensor } from '../model/types.js'
import type { Hdf5Reply, Hdf5Request, VariableRequest, WorkerMessage } from './keras-weights.js'

type H5 = typeof import('h5wasm')
type H5File = InstanceType<H5['File']>

/** H5T_FLOAT, HDF5's type class of floating-point datasets. */
const FLOAT_CLASS = 1
/** 1 GiB of float32 in all: the weights file itself may be no larger, but a compressed dataset could expand to any size. */
const MAX_ELEMENTS = 1 << 28

class ImportProblem extends Error {}

function groupNamesByLayer(h5: H5, file: H5File, weightsEntry: string): Map<string, string> {
  const layers = file.get('layers')
  if (!(layers instanceof h5.Group)) throw new ImportProblem(`${weightsEntry} has no "layers" group: not a Keras 3 weights file`)
  const byName = new Map<string, string>()
  for (const group of layers.keys()) {
    const vars = file.get(`layers/${group}/vars`)
    const name = vars instanceof h5.Group ? vars.attrs.name?.value : undefined
    if (typeof name === 'string') byName.set(name, `layers/${group}`)
  }
  return byName
}

function readVariables(h5: H5, file: H5File, request: Hdf5Request): Hdf5Reply {
  const groups = groupNamesByLayer(h5, file, request.weightsEntry)
  let elements = 0
  const readDataset = (path: string): Tensor | null => {
    const entity = file.get(path)
    if (!(entity instanceof h5.Dataset)) return null
    const { type, size, total_size: count, shape } = entity.metadata
    if (type !== FLOAT_CLASS || (size !== 4 && size !== 8)) {
      throw new ImportProblem(`${request.weightsEntry}: dataset ${path} is not float32 or float64 (dtype ${JSON.stringify(entity.dtype)})`)
    }
    elements += count
    if (elements > MAX_ELEMENTS) throw new ImportProblem(`${request.weightsEntry}: the datasets hold more than ${MAX_ELEMENTS} values`)
    const value = entity.value
    if (value instanceof Float32Array) return { dtype: 'f32', shape: shape ?? [], data: value }
    if (value instanceof Float64Array) return { dtype: 'f64', shape: shape ?? [], data: value }
    throw new ImportProblem(`${request.weightsEntry}: dataset ${path} could not be read as floats`)
  }
  const variables = request.variables.flatMap((wanted: VariableRequest) => {
    const group = groups.get(wanted.layer)
    if (group === undefined) return []
    const base = `${group}${wanted.part === undefined ? '' : `/${wanted.part}_layer`}${wanted.recurrent ? '/cell' : ''}/vars`
    return [{ layer: wanted.layer, part: wanted.part, tensors: wanted.roles.map((_, index) => readDataset(`${base}/${index}`)) }]
  })
  return { kind: 'weights', layers: [...groups.keys()], variables }
}

/** The innermost line of an HDF5 error stack (its cause, e.g. "bad superblock version number"), or h5wasm's message. */
function causeOf(message: string): string {
  const minors = [...message.matchAll(/^\s*#\d+: .*? in [\w.]+\(\): (.*)$/gm)]
  return minors.at(-1)?.[1]?.trim() ?? message.split('\n')[0]
}

async function run(request: Hdf5Request): Promise<Hdf5Reply> {
  const h5 = await import('h5wasm/node')
  const module = await h5.ready
  // HDF5 errors become exceptions carrying the error stack, which the library would otherwise print to the process's stderr.
  module.activate_throwing_error_handler()
  parentPort?.postMessage({ kind: 'ready' } satisfies WorkerMessage)
  let file: H5File | undefined
  try {
    // h5wasm for Node reads the host file system.
    file = new h5.File(request.path, 'r')
    return readVariables(h5, file, request)
  } catch (error) {
    if (error instanceof ImportProblem) return { kind: 'problem', message: error.message }
    return { kind: 'damaged', message: causeOf((error as Error).message) }
  } finally {
    try {
      file?.close()
    } catch {
      // Closing a file HDF5 could not open raises again; the first error is the one to report.
    }
  }
}

parentPort?.postMessage(await run(workerData as Hdf5Request))
