/** `lstm-lrp evaluate`: a model's loss on labelled JSON lines, and for classification its accuracy and confusion matrix. */
import { Command } from 'commander'
import { backendOption, dtypeOption, modelOption } from './model-flags.js'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import type { Model } from '../model/model.js'
import type { TrainItem } from '../train/types.js'
import { defaultLoss } from '../train/options.js'
import { stepsOf } from '../explain/inputs.js'
import { argmaxOfRow } from '../explain/target.js'
import { labelledItems, readDataLines } from './input/labelled-data.js'
import { className } from './class-flags.js'

interface EvaluateFlags {
  model?: string
  data: string
  json?: boolean
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

/** What `evaluate --json` prints. */
export interface EvaluationReport {
  examples: number
  /** Score rows counted: one per example for readout last, one per step for each. */
  rows: number
  loss: number
  lossName: string
  accuracy: number | null
  labels: string[] | null
  /** confusion[true][predicted]: score rows. */
  confusion: number[][] | null
}

/** Counts score rows by true class (the items' targets, class indices by now) and predicted class. */
function confusionMatrix(model: Model, items: TrainItem[]): number[][] {
  const { outputs } = model.config.head
  const counts = Array.from({ length: outputs }, () => new Array<number>(outputs).fill(0))
  for (const item of items) {
    const { scores } = model.predict(item.input)
    ;(item.target as number[]).forEach((truth, row) => counts[truth][argmaxOfRow(scores, row, outputs)]++)
  }
  return counts
}

function table(report: EvaluationReport, model: Model): string {
  const rowsNote = report.rows === report.examples ? '' : ` (${report.rows} score rows)`
  const lines = [`examples  ${report.examples}${rowsNote}`, `loss      ${report.loss.toPrecision(4)} (${report.lossName})`]
  if (report.accuracy === null || report.confusion === null) return `${lines.join('\n')}\n`
  const correct = report.confusion.reduce((sum, row, k) => sum + row[k], 0)
  lines.push(`accuracy  ${(100 * report.accuracy).toFixed(1)}% (${correct} of ${report.rows})`, '', 'confusion matrix (rows: true class, columns: predicted)')
  const names = report.confusion.map((_, k) => className(k, model.config.labels))
  const first = Math.max(...names.map((name) => name.length))
  const widths = names.map((name, k) => Math.max(name.length, ...report.confusion!.map((row) => String(row[k]).length)))
  lines.push(`${''.padEnd(first)}  ${names.map((name, k) => name.padStart(widths[k])).join('  ')}`)
  report.confusion.forEach((row, k) => lines.push(`${names[k].padEnd(first)}  ${row.map((count, c) => String(count).padStart(widths[c])).join('  ')}`))
  return `${lines.join('\n')}\n`
}

async function runEvaluate(flags: EvaluateFlags): Promise<void> {
  const model = await loadModel(flags.model ?? defaultModelPath(), { backend: flags.backend, dtype: flags.dtype })
  try {
    const loss = defaultLoss(model.config)
    const items = labelledItems(flags.data, await readDataLines(flags.data), model, loss)
    const evaluation = await model.evaluate(items, { loss })
    const classification = evaluation.accuracy !== undefined
    const report: EvaluationReport = {
      examples: items.length,
      rows: model.config.head.readout === 'last' ? items.length : items.reduce((sum, item) => sum + stepsOf(item.input), 0),
      loss: evaluation.loss,
      lossName: loss,
      accuracy: evaluation.accuracy ?? null,
      labels: model.config.labels ?? null,
      confusion: classification ? confusionMatrix(model, items) : null,
    }
    process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : table(report, model))
  } finally {
    model.dispose()
  }
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('Evaluate a model on labelled JSON lines (the training format: {"x" | "tokens" | "text": ..., "y": ...}): loss, and for classification accuracy and a confusion matrix')
    .requiredOption('--data <file>', 'labelled JSON lines; "y" may be a label name (- for stdin)')
    .addOption(modelOption())
    .option('--json', 'one JSON object instead of a table')
    .addOption(backendOption())
    .addOption(dtypeOption())
    .addHelpText('after', '\nExamples:\n  lstm-lrp evaluate --data test.jsonl\n  lstm-lrp evaluate --model model.safetensors --data test.jsonl --json')
    .action(runEvaluate)
}
