/** How an experiment reports while it runs: lines that stay, and how much of its work is done. */
export interface ExperimentReporter {
  log(line: string): void
  /** done of total units of work (trained models, explanation methods) are finished. */
  progress(done: number, total: number): void
}

export const SILENT: ExperimentReporter = { log: () => undefined, progress: () => undefined }
