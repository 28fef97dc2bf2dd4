/** Loads the WASM backend in Node from the package's wasm/ folder. */
import { readFileSync } from 'node:fs'
import { totalmem } from 'node:os'
import path from 'node:path'
import type { Backend } from './types.js'
import { packageRoot } from './package-root.js'
import { WASM_FILES, wasmBackend, wasmImports, wasmSimdSupported, type WasmVariant } from './wasm.js'

export function loadWasmBackend(variant: WasmVariant): Backend {
  if (variant === 'simd' && !wasmSimdSupported()) throw new Error('WebAssembly SIMD is not supported by this runtime')
  const bytes = readFileSync(path.join(packageRoot(), 'wasm', WASM_FILES[variant]))
  return wasmBackend(new WebAssembly.Instance(new WebAssembly.Module(bytes), wasmImports()), Math.floor(totalmem() / 2))
}
