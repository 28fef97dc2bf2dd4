/** Bad command-line use or input the CLI itself rejects (exit code 1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
