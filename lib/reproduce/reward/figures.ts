/**
 * Fig. 11.6–11.7 as SVG: one episode's events (Moneybag, counted and uncounted Coins, actions) above
 * its relevance per step under each rule (bars scaled per rule; red positive, blue negative); and the
 * shares of the relevance on the Moneybag and Coin steps per rule.
 */
import { escapeMarkup } from '../../viz/escape.js'
import { maxAbs } from '../../viz/scale.js'
import { document, round, text, type Frame } from '../svg/elements.js'
import { barChart } from '../svg/bar-chart.js'
import type { ExampleEpisode, RewardResult } from './run.js'

const COLUMN = 24
const PANEL = 80
const GAP = 26

function eventSymbol(example: ExampleEpisode, step: number): { symbol: string; color: string } {
  const { episode } = example
  if (episode.moneybagStep === step) return { symbol: 'M', color: '#b8860b' }
  const coin = episode.coins.find((candidate) => candidate.step === step)
  if (coin !== undefined) return coin.counted ? { symbol: 'C', color: '#2ca02c' } : { symbol: 'c', color: '#999' }
  return { symbol: '', color: '' }
}

export function episodeFigure(example: ExampleEpisode, title: string): string {
  const { episode, relevance } = example
  const steps = episode.input.length
  const rules = Object.keys(relevance)
  const left = 110
  const top = 78
  const frame: Frame = { width: left + steps * COLUMN + 30, height: top + rules.length * (PANEL + GAP) + 30, left, right: 30, top, bottom: 30 }
  const body = [
    text(frame.width / 2, 18, title, 'text-anchor="middle" font-size="14" font-weight="bold"'),
    text(frame.width / 2, 34, `return ${episode.target}, predicted ${example.prediction.toFixed(2)}. M: Moneybag, C: Coin that counts, c: Coin before the Moneybag`, 'text-anchor="middle" font-size="11"'),
    text(left - 8, 56, 'event', 'text-anchor="end"'),
    text(left - 8, 72, 'action', 'text-anchor="end"'),
  ]
  for (let t = 0; t < steps; t++) {
    const center = left + t * COLUMN + COLUMN / 2
    const { symbol, color } = eventSymbol(example, t)
    if (symbol !== '') body.push(text(center, 56, symbol, `text-anchor="middle" font-weight="bold" fill="${color}"`))
    body.push(text(center, 72, episode.input[t][2] === 1 ? '←' : '→', 'text-anchor="middle" fill="#555"'))
  }
  rules.forEach((rule, r) => {
    const panelTop = top + GAP + r * (PANEL + GAP)
    const perStep = relevance[rule].map((row) => row.reduce((sum, value) => sum + value, 0))
    const scale = maxAbs(perStep)
    const zero = panelTop + PANEL / 2
    const total = perStep.reduce((sum, value) => sum + value, 0)
    body.push(text(left - 8, zero + 4, rule, 'text-anchor="end" font-weight="bold"'))
    body.push(text(left, panelTop - 6, `Σ R_t = ${total.toFixed(2)}, max |R_t| = ${scale.toPrecision(3)}`, 'font-size="11" fill="#555"'))
    body.push(`<line x1="${left}" x2="${left + steps * COLUMN}" y1="${zero}" y2="${zero}" stroke="#888"/>`)
    perStep.forEach((value, t) => {
      const height = (Math.abs(value) / scale) * (PANEL / 2)
      const y = value >= 0 ? zero - height : zero
      const fill = value >= 0 ? '#d62728' : '#1f77b4'
      body.push(`<rect x="${round(left + t * COLUMN + 3)}" y="${round(y)}" width="${COLUMN - 6}" height="${round(height)}" fill="${fill}"><title>${escapeMarkup(`step ${t}: ${value.toPrecision(4)}`)}</title></rect>`)
    })
  })
  const axis = top + rules.length * (PANEL + GAP) + 14
  for (let t = 0; t < steps; t += 2) body.push(text(left + t * COLUMN + COLUMN / 2, axis, String(t), 'text-anchor="middle" font-size="10"'))
  body.push(text(left + (steps * COLUMN) / 2, axis + 14, 'step', 'text-anchor="middle"'))
  return document(frame, body)
}

export function sharesFigure(result: RewardResult): string {
  const rules = Object.keys(result.shares)
  return barChart({
    title: `Share of |relevance| per step kind (${result.seeds.length} models, ${result.episodesMeasured} episodes)`,
    yLabel: 'share of Σ|R_t| (%)',
    categories: rules,
    series: [
      { name: 'Moneybag step', values: rules.map((rule) => 100 * result.shares[rule].moneybag.mean), errors: rules.map((rule) => 100 * result.shares[rule].moneybag.std) },
      { name: 'counted Coin steps', values: rules.map((rule) => 100 * result.shares[rule].countedCoins.mean), errors: rules.map((rule) => 100 * result.shares[rule].countedCoins.std) },
    ],
    yRange: [0, 100],
  })
}

export function rewardTable(result: RewardResult): string {
  const pct = (summary: { mean: number; std: number }) => `${(100 * summary.mean).toFixed(1)} (${(100 * summary.std).toFixed(1)})`.padEnd(18)
  const lines = [
    `Reward redistribution (Fig. 11.6–11.7): ${result.seeds.length} markov LSTMs, validation MSE ${result.validationMse.mean.toExponential(2)}, ` +
      `test MSE ${result.testMse.mean.toExponential(2)}; ${result.episodesMeasured} test episodes with the Moneybag and a positive return; ${result.seconds.toFixed(0)} s.`,
    'Share of Σ_t |R_t| in %, mean (std) over models; redistributed = Σ_t R_t / prediction.',
    '',
    `${'rule'.padEnd(12)}${'Moneybag step'.padEnd(18)}${'counted Coins'.padEnd(18)}${'redistributed'.padEnd(18)}`,
  ]
  for (const [rule, shares] of Object.entries(result.shares)) lines.push(rule.padEnd(12) + pct(shares.moneybag) + pct(shares.countedCoins) + pct(shares.redistributed))
  lines.push('', 'The paper: with LRP-all the Moneybag event gets no relevance; with LRP-prop and LRP-half it does (Fig. 11.6).', '')
  return lines.join('\n')
}
