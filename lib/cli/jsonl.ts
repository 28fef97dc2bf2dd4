/** JSON-lines input and atomic output for the CLI. */
import { createWriteStream, type WriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { inChunks } from './chunks.js'
import { openInputLines, isStdin } from './input-lines.js'
import { UsageError } from './usage.js'

export interface NumberedLine {
  line: number
  value: unknown
}

/** Parses one line of JSON; a line that is not JSON is a usage error naming it. */
export function parseJsonLine(line: number, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`line ${line}: not valid JSON (${(error as Error).message})`)
  }
}

async function* jsonLines(path: string | undefined): AsyncGenerator<NumberedLine> {
  for await (const { line, text } of (await openInputLines(path)).lines) if (text.trim() !== '') yield { line, value: parseJsonLine(line, text) }
}

/** Parsed non-blank lines with their 1-based line numbers, in chunks of up to `size`. */
export function jsonLineChunks(path: string | undefined, size: number): AsyncGenerator<NumberedLine[]> {
  return inChunks(jsonLines(path), size)
}

/** Stdout, or a file that appears only once everything is written. */
export class OutputSink {
  private readonly stream: NodeJS.WritableStream
  private readonly temporary: string | null

  constructor(private readonly path: string | undefined) {
    this.temporary = isStdin(path) ? null : `${path}.${process.pid}.tmp`
    this.stream = this.temporary === null ? process.stdout : createWriteStream(this.temporary)
  }

  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await new Promise((resolve) => this.stream.once('drain', resolve))
  }

  async commit(): Promise<void> {
    if (this.temporary === null) return
    await new Promise<void>((resolve, reject) => (this.stream as WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())))
    await rename(this.temporary, this.path as string)
  }

  async abandon(): Promise<void> {
    if (this.temporary === null) return
    ;(this.stream as WriteStream).destroy()
    await rm(this.temporary, { force: true })
  }
}
