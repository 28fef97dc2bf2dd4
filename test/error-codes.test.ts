/** LstmLrpError.code is a union of the codes that exist, and the docs say what each means. */
import test from 'ava'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERROR_CODES, LstmLrpError, type LstmLrpErrorCode } from '../lib/errors.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const SERVE_CODES: LstmLrpErrorCode[] = ['E_REQUEST', 'E_WORK_LIMIT', 'E_OVERLOADED', 'E_TIMEOUT', 'E_INTERNAL']

test("README.md names every library code; docs/SERVE.md's error table every code the server adds", (t) => {
  const readme = read('README.md')
  const serve = read('docs/SERVE.md')
  for (const code of ERROR_CODES) t.true((SERVE_CODES.includes(code) ? serve : readme).includes(`\`${code}\``), code)
  t.is(new Set(ERROR_CODES).size, ERROR_CODES.length)
})

test('a code outside the union does not compile', (t) => {
  // @ts-expect-error: not an LstmLrpErrorCode
  const error = new LstmLrpError('E_TYPO', 'a typo')
  const code: LstmLrpErrorCode = new LstmLrpError('E_INPUT', 'fine').code
  t.is(code, 'E_INPUT')
  t.is(error.name, 'LstmLrpError')
})
