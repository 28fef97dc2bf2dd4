/**
 * The sentiment model of docs/REPRODUCTION.md § The SST model (the package's built-in default), Li et al.'s architecture:
 * 60-d embeddings, a 60+60 bidirectional LSTM, five classes, no output bias.
 */
import { SST_LABELS } from './data.js'

export const SST_EMBEDDING = 60
export const SST_HIDDEN = 60

export function sstModelConfig(vocab: string[]): object {
  return {
    inputSize: SST_EMBEDDING,
    embedding: { vocabSize: vocab.length },
    layers: [{ hiddenSize: SST_HIDDEN, bidirectional: true, cell: 'standard' }],
    head: { outputs: SST_LABELS.length, bias: false, readout: 'last' },
    task: 'classification',
    labels: SST_LABELS,
    tokenizer: { lowercase: true, vocab },
  }
}
