/** JSON-lines input and atomic output for the CLI. */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { access, constants, rename, rm } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { UsageError } from './usage.js'

export interface NumberedLine {
  line: number
  value: unknown
}

/** Parsed non-blank lines with their 1-based line numbers, in chunks of up to `size`. */
export async function* jsonLineChunks(path: string | undefined, size: number): AsyncGenerator<NumberedLine[]> {
  const fromStdin = path === undefined || path === '-'
  if (!fromStdin) {
    try {
      await access(path, constants.R_OK)
    } catch (error) {
      throw new UsageError(`cannot read input ${path}: ${(error as Error).message}`)
    }
  }
  const input = fromStdin ? process.stdin : createReadStream(path)
  let chunk: NumberedLine[] = []
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new UsageError(`line ${line}: not valid JSON (${(error as Error).message})`)
    }
    chunk.push({ line, value })
    if (chunk.length >= size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk
}

/** Stdout, or a file that appears only once everything is written. */
export class OutputSink {
  private readonly stream: NodeJS.WritableStream
  private readonly temporary: string | null

  constructor(private readonly path: string | undefined) {
    this.temporary = path === undefined || path === '-' ? null : `${path}.${process.pid}.tmp`
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
