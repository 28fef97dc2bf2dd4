/** Table 11.2 as text beside the paper's numbers, and one bar chart per task. */
import type { Summary } from '../statistics.js'
import { barChart } from '../svg/bar-chart.js'
import { PAPER_TABLE_11_2 } from './paper.js'
import type { FidelityResult, TaskResult } from './run.js'
import { modelCounts } from './train-models.js'

const COLUMNS = [
  { key: 'rhoA', title: 'ρ(n_a, R_a)' },
  { key: 'rhoB', title: 'ρ(n_b, R_b)' },
  { key: 'share', title: 'E[(|R_a|+|R_b|)/Σ|R_t|]' },
] as const

const METHOD_WIDTH = 18
const CELL_WIDTH = 17

function cell([mean, std]: [number, number]): string {
  return `${mean.toFixed(3)} (${std.toFixed(3)})`.padEnd(CELL_WIDTH)
}

function ours(summary: Summary): [number, number] {
  return [summary.mean, summary.std]
}

function taskTable(task: TaskResult): string[] {
  const sign = task.task === 'addition' ? '+' : '−'
  const lines = [
    `${task.task} (n_a ${sign} n_b): ${modelCounts(task.seeds.length, task.tries)}; ` +
      `test MSE ${task.testMse.mean.toExponential(2)} (${task.testMse.std.toExponential(1)}), ${task.epochs.mean.toFixed(0)} epochs on average`,
    ''.padEnd(METHOD_WIDTH) + COLUMNS.map((column) => column.title.padEnd(2 * CELL_WIDTH)).join(''),
    ''.padEnd(METHOD_WIDTH) + COLUMNS.map(() => 'ours'.padEnd(CELL_WIDTH) + 'paper'.padEnd(CELL_WIDTH)).join(''),
  ]
  for (const [name, result] of Object.entries(task.methods)) {
    const paper = PAPER_TABLE_11_2[task.task][name]
    lines.push(name.padEnd(METHOD_WIDTH) + COLUMNS.map(({ key }) => cell(ours(result[key])) + cell(paper[key])).join(''))
  }
  return lines
}

export function fidelityTable(result: FidelityResult): string {
  const header = [
    'Table 11.2: statistics of the relevance w.r.t. n_a and n_b; mean (standard deviation) in % over models,',
    `each statistic over ${result.settings.sizes?.test ?? 2500} test sequences. Seed ${result.settings.seed}; ${result.seconds.toFixed(0)} s.`,
    '',
  ]
  return `${[...header, ...result.tasks.flatMap((task) => [...taskTable(task), ''])].join('\n')}`
}

export function fidelityFigure(task: TaskResult): string {
  const methods = Object.keys(task.methods)
  return barChart({
    title: `Fidelity on ${task.task} (${task.seeds.length} models)`,
    yLabel: '%',
    categories: methods,
    series: COLUMNS.map(({ key, title }) => ({
      name: title,
      values: methods.map((name) => task.methods[name][key].mean),
      errors: methods.map((name) => task.methods[name][key].std),
      references: methods.map((name) => PAPER_TABLE_11_2[task.task][name]?.[key][0] ?? null),
    })),
    yRange: [-100, 100],
    referenceName: 'paper',
  })
}
