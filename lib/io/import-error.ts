/** Errors of the importers: code E_IMPORT, with the source format named first. */
import { fail } from '../errors.js'
import type { ImportFormat } from './types.js'

export function importError(format: ImportFormat, message: string): never {
  fail('E_IMPORT', `${format}: ${message}`)
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`
}
