/** Reading values the caller gave, which may be proxies or carry getters that throw. */
import { excerpt } from './describe-value.js'
import { fail, LstmLrpError, type LstmLrpErrorCode } from './errors.js'

/**
 * Runs `read` over the caller's values; anything it throws other than our own errors (a getter or a
 * proxy that throws) becomes an LstmLrpError with `code`, so callers only ever see documented errors.
 * `where` names the place in the message (an object's toString() is only called for one).
 */
export function readingCallerValues<T>(code: LstmLrpErrorCode, where: string | { toString(): string }, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof LstmLrpError) throw error
    const message = error instanceof Error ? error.message : 'a value that is not an Error'
    fail(code, `${where}: reading it threw: ${excerpt(String(message), 160)}`)
  }
}
