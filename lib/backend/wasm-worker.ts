/** A pool worker's side: its own module instance and copy of the model, running the calls it is sent in order. */
import type { KernelExplainOutputs, KernelModel } from './types.js'
import type { WorkerError, WorkerReply, WorkerRequest } from './wasm-workers.js'
import { wasmBackend, wasmImports } from './wasm.js'
import { LstmLrpError } from '../errors.js'

function outputsOf(sizes: Record<keyof KernelExplainOutputs, number>, double: boolean): KernelExplainOutputs {
  const Float = double ? Float64Array : Float32Array
  return {
    scores: new Float(sizes.scores),
    relevance: new Float(sizes.relevance),
    perStep: new Float(sizes.perStep),
    conservation: new Float64Array(sizes.conservation),
    targets: new Int32Array(sizes.targets),
  }
}

function described(error: unknown): WorkerError {
  if (error instanceof LstmLrpError) return { code: error.code, message: error.message }
  return { code: 'E_KERNEL', message: `the WASM worker failed: ${error instanceof Error ? error.message : String(error)}` }
}

/** Handles the pool's messages; `post` sends a reply, handing its buffers over. */
export function wasmWorker(post: (reply: WorkerReply, transfer: ArrayBuffer[]) => void): (request: WorkerRequest) => void {
  let model: Promise<KernelModel> | undefined
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
    const outputs = outputsOf(request.sizes, request.double)
    const run = async (): Promise<WorkerReply['error']> => {
      try {
        if (model === undefined) throw new Error('a call came before the model')
        ;(await model).explain(request.batch, request.options, request.targetWeights, outputs)
        return null
      } catch (error) {
        return described(error)
      }
    }
    void run().then((error) => {
      const buffers = [outputs.scores, outputs.relevance, outputs.perStep, outputs.conservation, outputs.targets].map((array) => array.buffer as ArrayBuffer)
      post({ id: request.id, outputs, error }, buffers)
    })
  }
}
