/** The removal experiment as a text table and SVG line charts: accuracy per removal order, and the AOPC of the true class's score. */
import { lineChart } from '../reproduce/svg/line-chart.js'
import type { RemovalCurves, RemovalExperiment } from './removal-experiment.js'

export const RANDOM_NAME = 'random'

function percentRow(name: string, values: readonly number[], width: number): string {
  return name.padEnd(width) + values.map((value) => (100 * value).toFixed(1).padStart(7)).join('')
}

export function removalTable(result: RemovalExperiment, header: string): string {
  const steps = result.random.aopc.length
  const width = Math.max(20, ...result.methods.map(({ name }) => name.length + 2))
  const counts = `${'removed steps'.padEnd(width)}${Array.from({ length: steps }, (_, k) => String(k).padStart(7)).join('')}`
  const lines = [header, '']
  for (const order of ['most', 'least'] as const) {
    lines.push(`accuracy (%) of all ${result.examples} examples after removing the ${order} relevant steps`, counts)
    for (const method of result.methods) lines.push(percentRow(method.name, method[order].accuracy.all, width))
    lines.push(percentRow(RANDOM_NAME, result.random.accuracy.all, width), percentRow('(random std)', result.randomStd.all, width), '')
  }
  lines.push(`AOPC of the true class's score, K = ${steps - 1} (larger: the order lowers the score faster)`, `${''.padEnd(width)}${'most'.padStart(10)}${'least'.padStart(10)}`)
  const aopcAtK = (curves: RemovalCurves) => curves.aopc[steps - 1].toPrecision(4).padStart(10)
  for (const method of result.methods) lines.push(`${method.name.padEnd(width)}${aopcAtK(method.most)}${aopcAtK(method.least)}`)
  lines.push(`${RANDOM_NAME.padEnd(width)}${aopcAtK(result.random)}${aopcAtK(result.random)}`, '')
  return lines.join('\n')
}

export function accuracyFigure(result: RemovalExperiment, order: 'most' | 'least'): string {
  return lineChart({
    title: `Accuracy of ${result.examples} examples: ${order} relevant steps removed first`,
    xLabel: 'steps removed',
    yLabel: 'accuracy (%)',
    series: [
      ...result.methods.map((method) => ({ name: method.name, points: method[order].accuracy.all.map((value, k): [number, number] => [k, 100 * value]) })),
      { name: RANDOM_NAME, points: result.random.accuracy.all.map((value, k): [number, number] => [k, 100 * value]), dashed: true },
    ],
    yRange: [0, 100],
  })
}

export function aopcFigure(result: RemovalExperiment): string {
  return lineChart({
    title: `AOPC of the true class's score: most relevant steps removed first`,
    xLabel: 'K (steps removed)',
    yLabel: 'AOPC',
    series: [
      ...result.methods.map((method) => ({ name: method.name, points: method.most.aopc.map((value, k): [number, number] => [k, value]) })),
      { name: RANDOM_NAME, points: result.random.aopc.map((value, k): [number, number] => [k, value]), dashed: true },
    ],
  })
}
