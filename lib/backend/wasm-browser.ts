/** Loads the WASM backend in browsers (and any runtime with fetch): SIMD when supported, else plain. */
import type { Backend } from './types.js'
import { WASM_FILES, wasmBackend, wasmImports, wasmSimdSupported, type WasmVariant } from './wasm.js'

/** Where each module comes from: a URL, or the module's bytes. */
export type WasmSources = Partial<Record<WasmVariant, URL | string | ArrayBuffer | Uint8Array>>

function defaultSource(variant: WasmVariant): URL {
  // Bundlers see this pattern and ship the file next to the bundle.
  return variant === 'simd' ? new URL('../../wasm/lstm_lrp.simd.wasm', import.meta.url) : new URL('../../wasm/lstm_lrp.wasm', import.meta.url)
}

async function bytesOf(source: URL | string | ArrayBuffer | Uint8Array, variant: WasmVariant): Promise<ArrayBuffer> {
  if (source instanceof ArrayBuffer) return source
  if (source instanceof Uint8Array) return source.slice().buffer
  const response = await fetch(source)
  if (!response.ok) throw new Error(`cannot fetch ${WASM_FILES[variant]} from ${String(source)}: HTTP ${response.status}`)
  return response.arrayBuffer()
}

export function browserVariant(): WasmVariant {
  return wasmSimdSupported() ? 'simd' : 'plain'
}

export async function loadBrowserWasmBackend(sources: WasmSources = {}): Promise<Backend> {
  const variant = browserVariant()
  const bytes = await bytesOf(sources[variant] ?? defaultSource(variant), variant)
  const module = await WebAssembly.compile(bytes)
  return wasmBackend(await WebAssembly.instantiate(module, wasmImports()))
}
