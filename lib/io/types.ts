/** What every importer produces and takes, whatever the source framework. */
import type { ModelConfig, Readout, Task, Tensor, TokenizerConfig } from '../model/types.js'

export const IMPORT_FORMATS = ['pytorch', 'keras', 'tfjs', 'onnx'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/** Tensor names of a PyTorch state_dict, for modules whose submodules are named freely. */
export interface PytorchNames {
  /** Prefix of the nn.LSTM's or nn.GRU's tensors (e.g. "encoder.rnn."), or several, applied in order. */
  lstm?: string | string[]
  /** Full name of the nn.Embedding table (e.g. "embed.weight"). */
  embedding?: string
  /** Prefix of the nn.Linear head (e.g. "fc."). */
  head?: string
}

/** What a source file cannot say about the model: the task and its vocabulary, and for PyTorch the readout and tensor names. */
export interface ImportHint {
  task?: Task
  labels?: string[]
  tokenizer?: TokenizerConfig
  readout?: Readout
  names?: PytorchNames
}

export interface ImportedModel {
  config: ModelConfig
  tensors: Map<string, Tensor>
  /** Things the user should know that are not errors (ignored tensors, masking, sequence_lens, a softmax folded away). */
  notes: string[]
}

export interface ImportOptions {
  /** Seconds the HDF5 weights of a .keras file may take to read before the import fails (default 30). */
  timeout?: number
}
