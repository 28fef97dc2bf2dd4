/** The installed package's root folder (Node): where build/, prebuilds/ and wasm/ live. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

/** Walks up from this module to the package.json named lstm-lrp, so bundled and unbundled layouts both work. */
export function packageRoot(): string {
  if (root !== undefined) return root
  let folder = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = path.join(folder, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lstm-lrp') return (root = folder)
    const parent = path.dirname(folder)
    if (parent === folder) throw new Error('cannot find the lstm-lrp package folder')
    folder = parent
  }
}
