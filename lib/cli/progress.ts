/** Progress on stderr: a redrawn bar on a terminal, plain periodic lines otherwise. */
const BAR_WIDTH = 24

export interface ProgressLine {
  /** Redraws the line (terminal) with fraction done in [0, 1] and a label. */
  update(fraction: number, label: string): void
  /** Writes a line that stays (both modes). */
  log(text: string): void
  done(): void
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (!stream.isTTY) {
    return { update: () => undefined, log: (text) => stream.write(`${text}\n`), done: () => undefined }
  }
  let drawn = false
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  return {
    update(fraction, label) {
      const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * BAR_WIDTH)
      clear()
      stream.write(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${label}`)
      drawn = true
    },
    log(text) {
      clear()
      stream.write(`${text}\n`)
    },
    done: clear,
  }
}
