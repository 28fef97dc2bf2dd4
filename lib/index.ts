/** lstm-lrp: explain LSTM predictions with Layer-wise Relevance Propagation (Node entry). */
import type { BackendChoice, BackendInfo } from './backend/types.js'
import { describeBackend } from './backend/registry.js'

export { createModel, loadModel, saveModel, type LoadOptions } from './model/load.js'
export { Model } from './model/model.js'
export { LstmLrpError, type LstmLrpErrorCode } from './errors.js'
export { importModel } from './io/import-file.js'
export type { ImportFormat, ImportHint, ImportedModel, PytorchNames } from './io/types.js'
export { PRESETS, PRESET_BIASES } from './model/config.js'
export { EXPLAIN_PRESETS } from './explain/presets.js'
export { defaultModelPath } from './model/default-model.js'
export { exampleModelPath, exampleDataPath } from './model/example-files.js'
export { tokenizeText, encodeTokens, UNKNOWN_TOKEN, type EncodedText } from './text/vocabulary.js'
export { tokenizeTreebank } from './text/tokenize.js'
export { renderTerminal, renderHtml, renderSvg, seriesOf, type HeatmapRow, type TerminalOptions, type HtmlOptions, type SvgOptions } from './viz/index.js'
export type * from './explain/types.js'
export type * from './model/types.js'
export type * from './train/types.js'
export type { BackendChoice, BackendInfo, BackendName } from './backend/types.js'

/** Which backend `auto` (or the given choice) runs on, its SIMD level, threads, and why others were skipped. */
export function backendInfo(choice?: BackendChoice): BackendInfo {
  return describeBackend(choice)
}
