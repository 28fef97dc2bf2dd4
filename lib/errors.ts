/** Every error the library raises on bad input; `code` is stable for callers to branch on. */
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
