// Runs the built `lstm-lrp` CLI (dist/cli/main.js) with the given arguments and standard input.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = path.join(root, 'dist', 'cli', 'main.js')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], stdin = ''): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
    child.stdin!.end(stdin)
  })
}
