/** Picks a backend: the forced one, or the first of the registry that loads, keeping every failure. */
import type { Backend, BackendChoice, BackendName } from './types.js'
import { loadNativeBackend } from './native.js'
import { fail } from '../errors.js'

const LOADERS: { name: BackendName; load: () => Backend }[] = [{ name: 'native', load: loadNativeBackend }]

const loaded = new Map<BackendName, Backend>()

function isChoice(value: string): value is BackendChoice {
  return value === 'auto' || value === 'native' || value === 'wasm'
}

/** The explicit option wins, then LSTM_LRP_BACKEND, then 'auto'. */
export function resolveChoice(option?: string): BackendChoice {
  const choice = option ?? process.env.LSTM_LRP_BACKEND ?? 'auto'
  if (!isChoice(choice)) fail('E_BACKEND', `unknown backend '${choice}'; expected auto, native or wasm`)
  return choice
}

export function loadBackend(option?: string): Backend {
  const choice = resolveChoice(option)
  const candidates = choice === 'auto' ? LOADERS : LOADERS.filter((entry) => entry.name === choice)
  if (candidates.length === 0) fail('E_BACKEND', `backend '${choice}' is not available in this build`)
  const failures: string[] = []
  for (const { name, load } of candidates) {
    const cached = loaded.get(name)
    if (cached) return cached
    try {
      const backend = load()
      loaded.set(name, backend)
      return backend
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return fail('E_BACKEND', `no backend could be loaded (${choice}):\n  ${failures.join('\n  ')}`)
}
