/** Where a command's results go: stdout, or a file written atomically. */
import { AtomicFile } from '../model/write-atomically.js'
import { cannotWrite } from './destination.js'
import { isStdin } from './input/lines.js'

/** Stdout, or a file that appears only once everything is written (see AtomicFile). */
export class OutputSink {
  private constructor(private readonly file: AtomicFile | null) {}

  /** Opens `path` ('-' or undefined: stdout); a file that cannot be written is a usage error. */
  static async open(path: string | undefined): Promise<OutputSink> {
    if (isStdin(path)) return new OutputSink(null)
    return new OutputSink(await cannotWrite(path as string, () => AtomicFile.create(path as string)))
  }

  async write(text: string): Promise<void> {
    const file = this.file
    if (file !== null) return cannotWrite(file.destination, () => file.write(text))
    if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve))
  }

  async commit(): Promise<void> {
    const file = this.file
    if (file !== null) await cannotWrite(file.destination, () => file.commit())
  }

  async abandon(): Promise<void> {
    await this.file?.abandon()
  }
}
