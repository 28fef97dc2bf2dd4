// A binding built for another version of the C ABI (a stale prebuild or local build, a cached
// .wasm) is refused at load with an error naming the remedy, instead of misreading its arguments.
import test from 'ava'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { ABI_VERSION, checkAbiVersion } from '../lib/backend/codes.js'
import { wasmBackend, wasmImports } from '../lib/backend/wasm.js'
import { LstmLrpError } from '../lib/errors.js'

const root = fileURLToPath(new URL('..', import.meta.url))

test('checkAbiVersion accepts the header version and refuses another, or none, with E_BACKEND and the remedy', (t) => {
  t.notThrows(() => checkAbiVersion('the binding', ABI_VERSION, 'rebuild it'))
  t.throws(() => checkAbiVersion('the binding', ABI_VERSION - 1, 'rebuild it'), {
    instanceOf: LstmLrpError,
    message: `the binding was built for C ABI version ${ABI_VERSION - 1}, but this package needs version ${ABI_VERSION}: rebuild it`,
  })
  const error = t.throws(() => checkAbiVersion('the binding', undefined, 'rebuild it'), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_BACKEND')
  t.regex(error?.message ?? '', /no version \(it predates versioning\)/)
})

test('the native addon reports the header version', (t) => {
  const addon = createRequire(import.meta.url)('node-gyp-build')(root) as { info(): { abiVersion: number } }
  t.is(addon.info().abiVersion, ABI_VERSION)
})

for (const file of ['lstm_lrp.wasm', 'lstm_lrp.simd.wasm']) {
  const module = new WebAssembly.Module(readFileSync(new URL(`../wasm/${file}`, import.meta.url)))

  test(`${file} reports the header version and loads`, (t) => {
    const instance = new WebAssembly.Instance(module, wasmImports())
    t.is((instance.exports.lstm_lrp_abi_version as () => number)(), ABI_VERSION)
    t.notThrows(() => wasmBackend(instance))
  })

  test(`a module like ${file} that reports another version, or none, is refused with E_BACKEND`, (t) => {
    const exports = new WebAssembly.Instance(module, wasmImports()).exports
    const stale = { exports: { ...exports, lstm_lrp_abi_version: () => ABI_VERSION + 1 } } as unknown as WebAssembly.Instance
    t.throws(() => wasmBackend(stale), {
      instanceOf: LstmLrpError,
      message: `the WebAssembly module was built for C ABI version ${ABI_VERSION + 1}, but this package needs version ${ABI_VERSION}: load the .wasm files shipped with this version of the package`,
    })
    const { lstm_lrp_abi_version: _absent, ...older } = exports
    t.throws(() => wasmBackend({ exports: older } as unknown as WebAssembly.Instance), { instanceOf: LstmLrpError, message: /no version \(it predates versioning\)/ })
  })
}
