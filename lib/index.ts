/** lstm-lrp: explain LSTM predictions with Layer-wise Relevance Propagation (Node entry). */
import type { BackendChoice, BackendInfo } from './backend/types.js'
import { describeBackend } from './backend/registry.js'

export { loadModel, saveModel, type LoadOptions } from './model/load.js'
export { Model } from './model/model.js'
export { LstmLrpError } from './errors.js'
export { PRESETS } from './model/config.js'
export type * from './explain/types.js'
export type * from './model/types.js'
export type { BackendChoice, BackendInfo, BackendName } from './backend/types.js'

/** Which backend `auto` (or the given choice) runs on, its SIMD level, threads, and why others were skipped. */
export function backendInfo(choice?: BackendChoice): BackendInfo {
  return describeBackend(choice)
}
