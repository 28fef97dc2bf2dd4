/** Writes an experiment's results: a text table, the JSON behind it, and SVG figures, into one folder. */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeAtomically } from '../model/write-atomically.js'

export interface ExperimentFiles {
  /** File name → content (e.g. table.txt, results.json, figure.svg). */
  [file: string]: string
}

export async function writeExperiment(dir: string, files: ExperimentFiles): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file)
    await writeAtomically(target, content)
    written.push(target)
  }
  return written
}

/** JSON with numbers rounded to 6 significant digits: the committed results stay small and readable. */
export function compactJson(value: unknown): string {
  return `${JSON.stringify(value, (_, entry: unknown) => (typeof entry === 'number' && !Number.isInteger(entry) ? Number(entry.toPrecision(6)) : entry), 2)}\n`
}
