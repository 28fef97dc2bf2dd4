/**
 * lstm-lrp for browsers and bundlers: the same model and explain API on the WASM backend.
 * Nothing reachable from here touches fs, path, worker_threads or the native addon. The shipped
 * sentiment model's URL is `defaultModelUrl()` from 'lstm-lrp/default-model', a module of its own so
 * that bundles which never load it do not ship its 2 MB.
 */
import type { Backend, BackendInfo } from './backend/types.js'
import type { DType } from './model/types.js'
import type { Model } from './model/model.js'
import { loadBrowserWasmBackend, browserParallelism, browserVariant, type WasmSources } from './backend/wasm-browser.js'
import { asBytes, checkDType, modelFromBytes } from './model/from-bytes.js'
import { writeModelFile } from './model/tensors.js'
import { fail } from './errors.js'

export { Model } from './model/model.js'
export { LstmLrpError, type LstmLrpErrorCode } from './errors.js'
export { PRESETS, PRESET_BIASES } from './model/config.js'
export { EXPLAIN_PRESETS } from './explain/presets.js'
export { tokenizeText, encodeTokens, UNKNOWN_TOKEN, type EncodedText } from './text/vocabulary.js'
export { tokenizeTreebank } from './text/tokenize.js'
export { renderTerminal, renderHtml, renderSvg, seriesOf, type HeatmapRow, type TerminalOptions, type HtmlOptions, type SvgOptions } from './viz/index.js'
export type * from './explain/types.js'
export type * from './model/types.js'
export type { BackendInfo, BackendName } from './backend/types.js'
export type { WasmSources } from './backend/wasm-browser.js'

export interface BrowserLoadOptions {
  /** Compute dtype (default: the file's). */
  dtype?: DType
  /** Where to fetch the .wasm modules from (default: next to this package's files). */
  wasm?: WasmSources
  /** Web Workers each explainBatch call spreads its sequences over (default: the browser's logical cores, up to 8). */
  threads?: number
}

let backend: Promise<Backend> | undefined

function wasmBackend(sources?: WasmSources): Promise<Backend> {
  backend ??= loadBrowserWasmBackend(sources).catch((error: unknown) => {
    backend = undefined
    return fail('E_BACKEND', `no backend could be loaded (wasm): ${error instanceof Error ? error.message : String(error)}`)
  })
  return backend
}

async function modelBytes(source: URL | string | Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  const bytes = asBytes(source)
  if (bytes) return bytes
  if (typeof source !== 'string' && !(source instanceof URL)) return fail('E_MODEL_FILE', 'loadModel takes a URL, a Uint8Array or an ArrayBuffer')
  const response = await fetch(source)
  if (!response.ok) fail('E_MODEL_FILE', `cannot fetch model ${String(source)}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

/** Loads a model from a URL or bytes onto the WASM backend (SIMD where supported). */
export async function loadModel(source: URL | string | Uint8Array | ArrayBuffer, options: BrowserLoadOptions = {}): Promise<Model> {
  const dtype = checkDType(options.dtype)
  const [bytes, backend] = await Promise.all([modelBytes(source), wasmBackend(options.wasm)])
  return modelFromBytes(bytes, backend, dtype, options.threads)
}

/** The model file's bytes (to download or store). */
export async function saveModel(model: Model): Promise<Uint8Array> {
  return writeModelFile(model.config, new Map(model.weights))
}

/** The backend browsers run on: WASM, with SIMD128 where the browser validates it; threads: the Web Workers of a batch call. */
export function backendInfo(): BackendInfo {
  return { backend: 'wasm', simd: browserVariant() === 'simd' ? 'simd128' : 'scalar', threads: browserParallelism() }
}
