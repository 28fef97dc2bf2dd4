/**
 * Every error the library raises on bad input; `code` is stable for callers to branch on. The
 * kernel's statuses (lstm_lrp_status, native/include/lstm_lrp.h) raise E_KERNEL, E_MEMORY
 * (LSTM_LRP_OUT_OF_MEMORY) and E_NUMERIC (LSTM_LRP_NUMERIC_ERROR: a result overflowed to
 * Infinity or NaN), the same on every backend (lib/backend/codes.ts).
 */
export class LstmLrpError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'LstmLrpError'
    this.code = code
  }
}

export function fail(code: string, message: string): never {
  throw new LstmLrpError(code, message)
}
