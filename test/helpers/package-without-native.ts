// A copy of the package with its compiled TypeScript and WASM modules but no native build
// (no build/, no prebuilds/), as a user gets when the addon cannot load.
import type { ExecutionContext } from 'ava'
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The copy's folder, removed when the test ends. */
export function packageWithoutNative(t: ExecutionContext, prefix: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), prefix))
  t.teardown(() => rmSync(copy, { recursive: true, force: true }))
  cpSync(path.join(root, 'package.json'), path.join(copy, 'package.json'))
  cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true })
  cpSync(path.join(root, 'wasm'), path.join(copy, 'wasm'), { recursive: true })
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'))
  return copy
}
