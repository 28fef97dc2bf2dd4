// Assertions on the library's errors: the type, the code and the message, for calls that throw and calls that reject.
import type { ExecutionContext } from 'ava'
import { LstmLrpError, type LstmLrpErrorCode } from '../../lib/index.js'

/** `error` is an LstmLrpError with `code`, its message matching `message` (a RegExp, or text it contains). */
export function assertLibraryError(t: ExecutionContext, error: unknown, code: LstmLrpErrorCode, message: string | RegExp, what = 'error'): void {
  t.true(error instanceof LstmLrpError, `${what}: expected an LstmLrpError, got ${String(error)}`)
  if (!(error instanceof LstmLrpError)) return
  t.is(error.code, code, `${what}: code of: ${error.message}`)
  if (typeof message === 'string') t.true(error.message.includes(message), `${what}: message was: ${error.message}`)
  else t.regex(error.message, message, what)
}

export function expectError(t: ExecutionContext, code: LstmLrpErrorCode, message: string | RegExp, run: () => unknown): void {
  let thrown: unknown = null
  try {
    run()
  } catch (error) {
    thrown = error
  }
  t.not(thrown, null, 'expected an error')
  if (thrown !== null) assertLibraryError(t, thrown, code, message)
}

export async function expectRejection(t: ExecutionContext, code: LstmLrpErrorCode, message: string | RegExp, run: () => Promise<unknown>): Promise<void> {
  let thrown: unknown = null
  try {
    await run()
  } catch (error) {
    thrown = error
  }
  t.not(thrown, null, 'expected a rejection')
  if (thrown !== null) assertLibraryError(t, thrown, code, message)
}
