/**
 * Every error the library raises on bad input; `code` is stable for callers to branch on. The
 * kernel's statuses (lstm_lrp_status, native/include/lstm_lrp.h) raise E_KERNEL, E_MEMORY
 * (LSTM_LRP_OUT_OF_MEMORY) and E_NUMERIC (LSTM_LRP_NUMERIC_ERROR: a result overflowed to
 * Infinity or NaN), the same on every backend (lib/backend/codes.ts).
 */

/** Every code an LstmLrpError carries: the library's (README.md says what each means), then lstm-lrp serve's own (docs/SERVE.md § Errors). */
export const ERROR_CODES = [
  'E_INPUT',
  'E_OPTIONS',
  'E_TARGET',
  'E_TRAIN_DATA',
  'E_CONFIG',
  'E_MODEL_FILE',
  'E_IMPORT',
  'E_KERNEL',
  'E_MEMORY',
  'E_NUMERIC',
  'E_BUSY',
  'E_DISPOSED',
  'E_BACKEND',
  'E_PLATFORM',
  'E_REPRODUCE',
  'E_REQUEST',
  'E_WORK_LIMIT',
  'E_OVERLOADED',
  'E_TIMEOUT',
  'E_INTERNAL',
] as const

/** What kind of error an LstmLrpError is. */
export type LstmLrpErrorCode = (typeof ERROR_CODES)[number]

export class LstmLrpError extends Error {
  readonly code: LstmLrpErrorCode

  constructor(code: LstmLrpErrorCode, message: string) {
    super(message)
    this.name = 'LstmLrpError'
    this.code = code
  }
}

export function fail(code: LstmLrpErrorCode, message: string): never {
  throw new LstmLrpError(code, message)
}
