/** The N-API addon as a backend: loaded with node-gyp-build (prebuild, then local build). */
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import type { Backend, KernelModel, KernelModelDesc } from './types.js'
import { LstmLrpError } from '../errors.js'
import { packageRoot } from './package-root.js'

interface Addon {
  NativeModel: new (desc: KernelModelDesc) => KernelModel
  info(): { simd: string; threads: number }
}

/** Kernel errors arrive as plain Errors with a status code; give them the library's type. */
function kernelCall<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw asLibraryError(error)
  }
}

function asLibraryError(error: unknown): unknown {
  if (error instanceof Error && 'status' in error) return new LstmLrpError('E_KERNEL', error.message)
  return error
}

class NativeKernelModel implements KernelModel {
  constructor(private readonly model: KernelModel) {}

  predict(...args: Parameters<KernelModel['predict']>): void {
    kernelCall(() => this.model.predict(...args))
  }

  explain(...args: Parameters<KernelModel['explain']>): void {
    kernelCall(() => this.model.explain(...args))
  }

  async explainAsync(...args: Parameters<KernelModel['explainAsync']>): Promise<void> {
    try {
      await kernelCall(() => this.model.explainAsync(...args))
    } catch (error) {
      throw asLibraryError(error)
    }
  }

  dispose(): void {
    this.model.dispose()
  }
}

export function loadNativeBackend(): Backend {
  const require = createRequire(import.meta.url)
  const load = require('node-gyp-build') as (root: string) => Addon
  const addon = load(packageRoot())
  return {
    parallelism: availableParallelism(),
    info: () => ({ backend: 'native', ...addon.info() }),
    createModel: (desc) => new NativeKernelModel(kernelCall(() => new addon.NativeModel(desc))),
  }
}
