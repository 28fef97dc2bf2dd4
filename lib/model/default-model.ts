/**
 * The model the package ships (Node): the bidirectional SST sentiment LSTM of
 * docs/REPRODUCTION.md § The SST model (the package's built-in default), with its tokenizer.
 */
import path from 'node:path'
import { packageRoot } from '../backend/package-root.js'

export const DEFAULT_MODEL_FILE = 'models/sst-bilstm.safetensors'

/** Absolute path of the shipped default model (five-class sentiment; `npm run train:sst` rebuilds it). */
export function defaultModelPath(): string {
  return path.join(packageRoot(), DEFAULT_MODEL_FILE)
}
