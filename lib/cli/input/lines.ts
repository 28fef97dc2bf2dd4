/** The lines of an input file or of stdin, numbered, with how far into the input each one ends. */
import { createReadStream, fstatSync } from 'node:fs'
import { access, constants, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { UsageError } from '../usage.js'

export interface InputLine {
  /** 1-based line number. */
  line: number
  text: string
  /** Bytes of the input up to the end of this line: how far a job has got, for progress. */
  end: number
}

export interface InputLines {
  lines: AsyncIterable<InputLine>
  /** The input's size in bytes when it is known (a file, or stdin redirected from a file); null for a pipe. */
  size: number | null
}

export function isStdin(path: string | undefined): boolean {
  return path === undefined || path === '-'
}

function stdinSize(): number | null {
  try {
    const info = fstatSync(0)
    return info.isFile() ? info.size : null
  } catch {
    return null
  }
}

async function* numbered(input: NodeJS.ReadableStream): AsyncGenerator<InputLine> {
  let line = 0
  let end = 0
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++
    // Spreadsheet exports often start with a byte-order mark, which belongs to no cell or token.
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw
    end += Buffer.byteLength(raw) + 1
    yield { line, text, end }
  }
}

/** Opens `path` ('-' or undefined: stdin); a file that cannot be read is a usage error. */
export async function openInputLines(path: string | undefined): Promise<InputLines> {
  if (isStdin(path)) return { lines: numbered(process.stdin), size: stdinSize() }
  const file = path as string
  let size: number | null
  try {
    await access(file, constants.R_OK)
    const info = await stat(file)
    if (info.isDirectory()) throw new Error('it is a directory')
    // A named pipe such as bash's <(command) has no size up front.
    size = info.isFile() ? info.size : null
  } catch (error) {
    throw new UsageError(`cannot read input ${file}: ${(error as Error).message}`)
  }
  return { lines: numbered(createReadStream(file)), size }
}
