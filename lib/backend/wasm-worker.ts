/** A pool worker's side: its own module instance and copy of the model, running the calls it is sent in order. */
import type { KernelExplainOutputs, KernelModel } from './types.js'
import type { WorkerError, WorkerReply, WorkerRequest } from './wasm-workers.js'
import { wasmBackend, wasmImports } from './wasm.js'
import { LstmLrpError } from '../errors.js'
import { explainOutputBytes, explainOutputViews, takeSmallestFitting, type ExplainOutputSizes } from './explain-outputs.js'

/** Buffers a worker keeps for its outputs, at most: the pool hands each back once it has copied it. */
const KEPT_BUFFERS = 8

/**
 * The arrays of one call's outputs as views of one buffer, the smallest kept one that fits (taken
 * out of `kept`) or a new one: recycled, the memory is neither allocated nor collected again, here
 * or on the calling thread. The kernel writes every byte, so what the buffer held before never shows.
 */
function outputsOf(sizes: ExplainOutputSizes, double: boolean, kept: ArrayBuffer[]): KernelExplainOutputs {
  const bytes = explainOutputBytes(sizes, double)
  return explainOutputViews(takeSmallestFitting(kept, bytes) ?? new ArrayBuffer(bytes), 0, sizes, double)
}

function described(error: unknown): WorkerError {
  if (error instanceof LstmLrpError) return { code: error.code, message: error.message }
  return { code: 'E_KERNEL', message: `the WASM worker failed: ${error instanceof Error ? error.message : String(error)}` }
}

/** Handles the pool's messages; `post` sends a reply, handing its buffers over. */
export function wasmWorker(post: (reply: WorkerReply, transfer: ArrayBuffer[]) => void): (request: WorkerRequest) => void {
  let model: Promise<KernelModel> | undefined
  let kept: ArrayBuffer[] = []
  return (request) => {
    if (request.kind === 'init') {
      model = WebAssembly.instantiate(request.module, wasmImports()).then((instance) => {
        const backend = wasmBackend(instance)
        backend.selectSimd(request.isa)
        return backend.createModel(request.desc)
      })
      // A failure reaches each call, which reports it.
      model.catch(() => undefined)
      return
    }
    // The latest first: the next parts of a call are about the size of the last.
    kept = [...request.spare, ...kept].slice(0, KEPT_BUFFERS)
    const outputs = outputsOf(request.sizes, request.double, kept)
    const run = async (): Promise<WorkerReply['error']> => {
      try {
        if (model === undefined) throw new Error('a call came before the model')
        ;(await model).explain(request.batch, request.options, request.targetWeights, outputs)
        return null
      } catch (error) {
        return described(error)
      }
    }
    void run().then((error) => post({ id: request.id, outputs, error }, [outputs.conservation.buffer as ArrayBuffer]))
  }
}
