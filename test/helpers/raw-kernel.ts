// A model's kernel reached below the facade (on the backend LSTM_LRP_BACKEND picks), to check
// what the kernel itself validates: the options the facade would have rejected first.
import { loadModel } from '../../lib/index.js'
import { loadBackend } from '../../lib/backend/registry.js'
import { kernelModelDesc } from '../../lib/backend/kernel-desc.js'
import { resolveOptions } from '../../lib/explain/options.js'
import type { KernelCell, KernelExplainOptions, KernelModel } from '../../lib/backend/types.js'
import type { ExplainOptions } from '../../lib/explain/types.js'
import type { Tensor } from '../../lib/model/types.js'
import { refModelFile } from './ref-to-file.js'
import type { RefModel } from '../reference/model.js'

/** The standard LSTM cell as the kernel's model description spells it (enum fields as their codes); spread it, do not change it. */
export const STANDARD_KERNEL_CELL: KernelCell = {
  type: 0,
  resetAfter: false,
  g: 0,
  gScale: 1,
  h: 0,
  hScale: 1,
  gatePresent: [true, true, true, true],
  inputConnected: [true, true, true, true],
  recurrentConnected: [true, true, true, true],
}

export interface RawKernel {
  /** Explains a batch of f64 sequences (rows of inputSize) with facade options overridden field by field. */
  explain(sequences: number[][][], options: ExplainOptions, overrides: Partial<KernelExplainOptions>): void
  dispose(): void
}

export async function rawKernel(ref: RefModel): Promise<RawKernel> {
  const model = await loadModel(refModelFile(ref, 'f64'))
  const kernel: KernelModel = loadBackend().createModel(kernelModelDesc(model.config, 'f64', model.weights as Map<string, Tensor>))
  const { inputSize, head } = model.config
  model.dispose()
  return {
    explain(sequences, options, overrides) {
      const lengths = Int32Array.from(sequences, (rows) => rows.length)
      const steps = sequences.reduce((total, rows) => total + rows.length, 0)
      const rows = head.readout === 'last' ? sequences.length : steps
      kernel.explain({ lengths, inputs: Float64Array.from(sequences.flat(2)), tokens: null }, { ...resolveOptions(options, 'f64', inputSize).kernel, ...overrides }, null, {
        scores: new Float64Array(rows * head.outputs),
        relevance: new Float64Array(steps * inputSize),
        perStep: new Float64Array(steps),
        conservation: new Float64Array(sequences.length * 4),
        targets: new Int32Array(sequences.length),
      })
    },
    dispose: () => kernel.dispose(),
  }
}
