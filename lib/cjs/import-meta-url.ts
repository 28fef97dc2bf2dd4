/** Injected into the CommonJS bundle, where `import.meta.url` does not exist. */
import { pathToFileURL } from 'node:url'

export const importMetaUrl = pathToFileURL(__filename).href
