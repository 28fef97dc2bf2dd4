/** Picks a backend: the forced one, or the first of the registry that loads, keeping every failure. */
import type { Backend, BackendChoice, BackendInfo, BackendName } from './types.js'
import { loadNativeBackend } from './native.js'
import { loadWasmBackend } from './wasm-node.js'
import { fail } from '../errors.js'

/** In order of preference for 'auto'. */
const LOADERS: { name: BackendName; label: string; load: () => Backend }[] = [
  { name: 'native', label: 'native', load: loadNativeBackend },
  { name: 'wasm', label: 'wasm-simd', load: () => loadWasmBackend('simd') },
  { name: 'wasm', label: 'wasm', load: () => loadWasmBackend('plain') },
]

/** Each loader runs once per process; its backend or its failure is kept. */
const attempts = new Map<string, Backend | Error>()

function attempt(label: string, load: () => Backend): Backend | Error {
  let result = attempts.get(label)
  if (result === undefined) {
    try {
      result = load()
      // LSTM_LRP_SIMD forces a SIMD level (e.g. to run the suite on each kernel path).
      const simd = process.env.LSTM_LRP_SIMD
      if (simd) result.selectSimd(simd)
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error))
    }
    attempts.set(label, result)
  }
  return result
}

function isChoice(value: string): value is BackendChoice {
  return value === 'auto' || value === 'native' || value === 'wasm'
}

/** The explicit option wins, then LSTM_LRP_BACKEND, then 'auto'. */
export function resolveChoice(option?: string): BackendChoice {
  const choice = option ?? process.env.LSTM_LRP_BACKEND ?? 'auto'
  if (!isChoice(choice)) fail('E_BACKEND', `unknown backend '${choice}'; expected auto, native or wasm`)
  return choice
}

/** The chosen backend and why the ones before it were skipped. */
export function selectBackend(option?: string): { backend: Backend; skipped: string[] } {
  const choice = resolveChoice(option)
  const skipped: string[] = []
  for (const { name, label, load } of LOADERS) {
    if (choice !== 'auto' && name !== choice) continue
    const result = attempt(label, load)
    if (!(result instanceof Error)) return { backend: result, skipped }
    skipped.push(`${label}: ${result.message}`)
  }
  return fail('E_BACKEND', `no backend could be loaded (${choice}):\n  ${skipped.join('\n  ')}`)
}

/**
 * The backends 'auto' would try before a forced choice, which that choice leaves untried, each with
 * where the choice came from: `optionName` (as the caller spells the option) or LSTM_LRP_BACKEND.
 */
export function untriedBackends(option: string | undefined, optionName: string): string[] {
  const choice = resolveChoice(option)
  if (choice === 'auto') return []
  const source = option !== undefined ? `${optionName} ${choice}` : `LSTM_LRP_BACKEND=${choice}`
  const first = LOADERS.findIndex(({ name }) => name === choice)
  return LOADERS.slice(0, first).map(({ label }) => `${label}: not tried: ${source}`)
}

export function loadBackend(option?: string): Backend {
  return selectBackend(option).backend
}

export function describeBackend(option?: string): BackendInfo {
  const { backend, skipped } = selectBackend(option)
  return skipped.length > 0 ? { ...backend.info(), skipped } : backend.info()
}
