// Renderings of explanations with 10^6 steps: no renderer spreads a long array into a call (which
// overflows the stack past about 125k arguments), in lib/viz, explain's CSV and the reproduction figures.
import test from 'ava'
import { renderHtml, renderSvg, renderTerminal, seriesOf } from '../lib/index.js'
import type { ExplainedInput } from '../lib/cli/explain-output.js'
import { written } from './helpers/written-explanations.js'
import type { Explanation } from '../lib/explain/types.js'
import type { ModelConfig } from '../lib/model/types.js'
import { barChart } from '../lib/reproduce/svg/bar-chart.js'
import { lineChart } from '../lib/reproduce/svg/line-chart.js'
import { episodeFigure } from '../lib/reproduce/reward/figures.js'

const STEPS = 1_000_000
const relevance = Float64Array.from({ length: STEPS }, (_, t) => (t === 123_457 ? 10 : Math.sin(t)))
const series = Float64Array.from({ length: STEPS }, (_, t) => Math.cos(t / 1000) + (t === 999_999 ? -7 : 0))
const tokens = Array.from({ length: STEPS }, (_, t) => ['not', 'a', 'bad', 'film', '!'][t % 5])

function count(text: string, pattern: string): number {
  let found = 0
  for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) found++
  return found
}

test.serial('terminal heatmap of 10^6 tokens', (t) => {
  const text = renderTerminal(tokens, relevance, { color: false })
  t.true(text.endsWith('relevance in brackets (max |R| 10)\n'))
  t.is(count(text, 'film['), STEPS / 5)
})

test.serial('HTML heatmap of 10^6 tokens', (t) => {
  const html = renderHtml([{ title: 'long', tokens, relevance }])
  t.is(count(html, '<bdi class="t"'), STEPS)
})

test.serial('SVG heatmap of 10^6 tokens', (t) => {
  const svg = renderSvg([{ title: 'long', tokens, relevance }])
  t.is(count(svg, '<g><title>'), STEPS)
  t.true(svg.endsWith('</svg>\n'))
})

test.serial('SVG line plot of a 10^6-step series, scaled to its extremes', (t) => {
  const svg = renderSvg([{ title: 'long', relevance, series }])
  t.is(count(svg, '<circle '), STEPS)
  t.regex(svg, /step 999999 · series = -6\.\d+ · R = /)
})

test.serial('seriesOf: a step of 10^6 features, and 10^6 steps', (t) => {
  t.deepEqual(seriesOf([Array.from({ length: STEPS }, () => 2)]), [2000])
  t.deepEqual(
    seriesOf([
      [3 * 2 ** 600, 4 * 2 ** 600],
      [0, 0],
      [3 * 2 ** -600, -4 * 2 ** -600],
    ]),
    [5 * 2 ** 600, 0, 5 * 2 ** -600],
    'no overflow or underflow in the squares',
  )
  t.is(seriesOf(Array.from({ length: STEPS }, () => [3, 4])).length, STEPS)
})

const CONFIG = { task: 'regression', head: { outputs: 1 } } as unknown as ModelConfig

test.serial('explain output of a 10^6-step series in every format', async (t) => {
  const x = Array.from(series, (value) => [value])
  const input: ExplainedInput = { json: '{}\n', explanation: { target: 0, perStep: relevance, relevance, features: 1 } as unknown as Explanation, input: x }
  const csv = await written(CONFIG, 'csv', [input])
  t.is(count(csv, '\n'), STEPS + 1)
  t.true(csv.includes(`\n0,,999999,0,${series[999_999]},${relevance[999_999]}\n`))
  t.is(count(await written(CONFIG, 'terminal', [input]), '['), STEPS)
  t.is(count(await written(CONFIG, 'html', [input]), '<bdi class="t"'), STEPS)
  t.is(count(await written(CONFIG, 'svg', [input]), '<circle '), STEPS)
})

test.serial('reproduction figures of 10^6 points', (t) => {
  const points = Array.from(series, (value, n): [number, number] => [n, value])
  t.regex(lineChart({ title: 'long', xLabel: 'x', yLabel: 'y', series: [{ name: 'curve', points }] }), /<path d="M/)
  const categories = Array.from({ length: STEPS }, (_, n) => String(n))
  t.regex(barChart({ title: 'long', yLabel: 'y', categories, series: [{ name: 'bars', values: Array.from(series) }] }), /<rect /)
  const steps = 200_000
  const input = Array.from({ length: steps }, (_, step) => [0, 0, step % 2, 0])
  const perRule = Array.from({ length: steps }, (_, step) => [Math.sin(step), 0, 0, 0])
  const figure = episodeFigure({ episode: { input, target: 1, moneybagStep: 3, coins: [{ step: 5, counted: true }] }, prediction: 1, relevance: { lrp: perRule } }, 'long episode')
  t.true(figure.includes('max |R_t| = 1.00'))
})
