/** Errors of the importers: code E_IMPORT, with the source format named first. */
import { fail, LstmLrpError } from '../errors.js'
import type { ImportFormat } from './types.js'

/** Names and strings of a hostile file can be megabytes long: messages keep their start and end. */
const MAX_MESSAGE_LENGTH = 1000
const KEPT_HEAD = 640
const KEPT_TAIL = 240

/** One line of at most MAX_MESSAGE_LENGTH characters: control characters (a newline in a tensor name) escaped, an overlong middle cut. */
export function boundedMessage(message: string): string {
  const oneLine = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (oneLine.length <= MAX_MESSAGE_LENGTH) return oneLine
  return `${oneLine.slice(0, KEPT_HEAD)} … (${oneLine.length - KEPT_HEAD - KEPT_TAIL} characters cut) … ${oneLine.slice(-KEPT_TAIL)}`
}

/** The same error with a bounded message (for errors raised outside the importers' own checks: safetensors, config, hint). */
export function withBoundedMessage(error: unknown): unknown {
  if (!(error instanceof LstmLrpError)) return error
  const message = boundedMessage(error.message)
  return message === error.message ? error : new LstmLrpError(error.code, message)
}

export function importError(format: ImportFormat, message: string): never {
  fail('E_IMPORT', boundedMessage(`${format}: ${message}`))
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`
}
