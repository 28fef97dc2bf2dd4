// A WASM backend over a module instance of the test's own, so that a test can read, fill and free
// the module's memory and see its stack pointer, which the shared backend keeps to itself.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Model } from '../../lib/index.js'
import type { Backend } from '../../lib/backend/types.js'
import { packageRoot } from '../../lib/backend/package-root.js'
import { WASM_FILES, wasmBackend, wasmImports, wasmSimdSupported } from '../../lib/backend/wasm.js'
import { parseConfig } from '../../lib/model/config.js'
import { initialTensors } from '../../lib/train/init.js'

/** The module's exports a test uses besides the backend. */
export interface WasmModule {
  memory: WebAssembly.Memory
  malloc(bytes: number): number
  free(pointer: number): void
  stackSave(): number
}

/** A fresh instance of the module the registry would choose (SIMD where supported). */
export function ownWasmBackend(): { backend: Backend; module: WasmModule } {
  const bytes = readFileSync(path.join(packageRoot(), 'wasm', WASM_FILES[wasmSimdSupported() ? 'simd' : 'plain']))
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), wasmImports())
  return { backend: wasmBackend(instance), module: instance.exports as unknown as WasmModule }
}

/** A float32 model of the architecture with seeded weights, on the given backend. */
export function modelOn(backend: Backend, architecture: unknown, seed = 1): Model {
  const config = parseConfig(architecture)
  return Model.withKernelWeights(config, 'f32', initialTensors(config, 'f32', seed), backend)
}

/**
 * Allocates the module's memory up to its maximum, leaving free one contiguous block of `hole`
 * bytes (and scraps under 16 bytes). Returns the function that frees it all again.
 */
export function fillMemory(module: WasmModule, hole: number): () => void {
  // Taken first, so that freeing it leaves one block however the rest is carved up.
  const reserved = module.malloc(hole)
  if (reserved === 0) throw new Error(`cannot reserve ${hole} bytes of WASM memory`)
  const blocks: number[] = []
  for (let size = 2 ** 30; size >= 16;) {
    const pointer = module.malloc(size)
    if (pointer === 0) size /= 2
    else blocks.push(pointer)
  }
  module.free(reserved)
  return () => blocks.forEach((pointer) => module.free(pointer))
}
