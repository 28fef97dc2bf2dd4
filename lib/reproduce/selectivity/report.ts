/** Fig. 11.5 as a table of accuracy curves and two line plots (correct sentences, misclassified sentences). */
import { lineChart } from '../svg/line-chart.js'
import { RANDOM, type SelectivityResult } from './run.js'

type Group = 'correct' | 'misclassified'

export function selectivityTable(result: SelectivityResult, header: string): string {
  const lines = [header, '']
  for (const [group, title] of [
    ['correct', `initially correct sentences (${result.correct}): accuracy (%) after removing the most relevant words`],
    ['misclassified', `initially misclassified sentences (${result.misclassified}): accuracy (%) after removing the least relevant words`],
  ] as [Group, string][]) {
    lines.push(title, `${'removed words'.padEnd(20)}${[0, 1, 2, 3, 4, 5].map((k) => String(k).padStart(7)).join('')}`)
    for (const [method, curves] of Object.entries(result.curves)) lines.push(method.padEnd(20) + curves[group].map((value) => (100 * value).toFixed(1).padStart(7)).join(''))
    lines.push(`${'(random std)'.padEnd(20)}${result.randomStd[group].map((value) => (100 * value).toFixed(1).padStart(7)).join('')}`, '')
  }
  return lines.join('\n')
}

export function selectivityFigure(result: SelectivityResult, group: Group): string {
  const correct = group === 'correct'
  return lineChart({
    title: correct ? `Initially correct (${result.correct} sentences): most relevant words removed` : `Initially false (${result.misclassified} sentences): least relevant words removed`,
    xLabel: 'words removed',
    yLabel: 'accuracy (%)',
    series: Object.entries(result.curves).map(([method, curves]) => ({
      name: method,
      points: curves[group].map((value, k): [number, number] => [k, 100 * value]),
      dashed: method === RANDOM,
    })),
    yRange: [0, 100],
  })
}
