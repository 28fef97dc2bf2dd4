/** The installed package's version, read from its package.json at run time so `--version` never goes stale. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { packageRoot } from '../backend/package-root.js'

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
}
