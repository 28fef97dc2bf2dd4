/** Injected into the CommonJS bundle, where `import.meta.url` and `import.meta.resolve` do not exist. */
import { pathToFileURL } from 'node:url'

export const importMetaUrl = pathToFileURL(__filename).href

export function importMetaResolve(specifier: string): string {
  return pathToFileURL(require.resolve(specifier)).href
}
