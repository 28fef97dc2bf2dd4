/** Every error the service answers with: { "error": { "code", "message" } } and the status its code stands for. */
import { LstmLrpError } from '../errors.js'

const STATUS: Record<string, number> = {
  E_REQUEST: 400,
  E_INPUT: 400,
  E_TARGET: 400,
  E_OPTIONS: 400,
  E_NUMERIC: 400,
  // Raised during a request only when the request asks for what the model lacks (text without a tokenizer).
  E_CONFIG: 400,
  E_WORK_LIMIT: 400,
  E_NOT_FOUND: 404,
  E_METHOD_NOT_ALLOWED: 405,
  E_TOO_LARGE: 413,
  E_MEMORY: 503,
  E_OVERLOADED: 503,
  E_SHUTTING_DOWN: 503,
  E_TIMEOUT: 504,
}

export function statusOf(code: string): number {
  return STATUS[code] ?? 500
}

export interface ErrorBody {
  error: { code: string; message: string }
}

/** A library error keeps its code; anything else is the server's own fault, reported without its stack. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof LstmLrpError) return { error: { code: error.code, message: error.message } }
  return { error: { code: 'E_INTERNAL', message: `internal error: ${error instanceof Error ? error.message : String(error)}` } }
}
