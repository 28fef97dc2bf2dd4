/**
 * Labelled JSON lines for train and evaluate: every input form explain reads ({"x"}, {"tokens"} as
 * ids or words, {"text"}) with the true output in "y" (classes by index or label name), each
 * checked against the model so that a bad line is named by its number.
 */
import type { Model } from '../../model/model.js'
import type { LossName, TrainItem } from '../../train/types.js'
import { itemTargets } from '../../train/targets.js'
import { stepsOf, toKernelBatch } from '../../explain/inputs.js'
import { isStdin } from './lines.js'
import { at, jsonRecord } from './records.js'
import { jsonLineChunks, type NumberedLine } from './jsonl.js'
import { UsageError } from '../usage.js'
import { excerpt } from '../../describe-value.js'

const LABELLED_KEYS = ['x', 'tokens', 'text', 'y', 'id']
const FORMS = '{"x": [[...]], "y": ...}, {"tokens": [...], "y": ...} or {"text": "...", "y": ...}'

/** Every non-blank line of a JSON-lines file ('-': stdin), parsed; an empty file is an error. */
export async function readDataLines(path: string): Promise<NumberedLine[]> {
  const lines: NumberedLine[] = []
  for await (const chunk of jsonLineChunks(path, 4096)) for (const line of chunk) lines.push(line)
  if (lines.length === 0) throw new UsageError(`${isStdin(path) ? 'stdin' : path} holds no examples`)
  return lines
}

function lineName(path: string, line: number): string {
  return `${isStdin(path) ? '' : `${path} `}line ${line}`
}

/** The lines as training items for `model`, with label names in "y" turned into class indices. */
export function labelledItems(path: string, lines: readonly NumberedLine[], model: Model, loss: LossName): TrainItem[] {
  const { config, dtype } = model
  return lines.map(({ line, value }) => {
    const where = lineName(path, line)
    const unknown = typeof value === 'object' && value !== null ? Object.keys(value).find((key) => !LABELLED_KEYS.includes(key)) : undefined
    if (unknown !== undefined) throw new UsageError(`${where}: unknown key '${excerpt(unknown)}' (labelled lines are ${FORMS}, with an optional "id")`)
    const record = jsonRecord(where, value, 0, { config, lowercase: false })
    if (record.y === undefined) throw new UsageError(`${where}: no "y" (labelled lines are ${FORMS})`)
    const item: TrainItem = { input: record.input, target: record.y as TrainItem['target'] }
    at(where, () => {
      toKernelBatch([item.input], config, dtype)
      item.target = itemTargets(item, stepsOf(item.input), config, loss, '"y"')
    })
    return item
  })
}
