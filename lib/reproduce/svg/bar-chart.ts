/** Grouped bars with optional error bars and reference marks (e.g. the paper's values). */
import { document, extent, legend, PALETTE, plotHeight, plotWidth, round, text, ticks, yAxis, type Frame } from './elements.js'

export interface BarSeries {
  name: string
  values: number[]
  errors?: number[]
  /** Drawn as a short black line across the bar: a value to compare with. */
  references?: (number | null)[]
}

export interface BarChart {
  title: string
  yLabel: string
  categories: string[]
  series: BarSeries[]
  yRange?: [number, number]
  /** Legend entry for the reference marks. */
  referenceName?: string
}

export function barChart({ title, yLabel, categories, series, yRange, referenceName }: BarChart): string {
  const frame: Frame = { width: Math.max(520, 90 * categories.length + 240), height: 400, left: 60, right: 180, top: 32, bottom: 70 }
  const all = series.flatMap((s) => [...s.values, ...(s.references ?? []).filter((value): value is number => value !== null)])
  const [low, high] = extent(all)
  const [y0, y1] = yRange ?? [Math.min(0, low), Math.max(0, high)]
  const y = (value: number) => frame.top + (1 - (Math.min(Math.max(value, y0), y1) - y0) / (y1 - y0 || 1)) * plotHeight(frame)
  const group = plotWidth(frame) / categories.length
  const bar = (group * 0.8) / series.length
  const body = yAxis(frame, ticks(y0, y1), y, title, yLabel)
  body.push(`<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${round(y(0))}" y2="${round(y(0))}" stroke="#444"/>`)
  categories.forEach((category, c) => {
    const center = frame.left + group * (c + 0.5)
    body.push(text(center, frame.height - frame.bottom + 16, category, `text-anchor="end" transform="rotate(-30 ${round(center)} ${round(frame.height - frame.bottom + 16)})"`))
    series.forEach((s, k) => {
      const left = frame.left + group * c + group * 0.1 + bar * k
      const value = s.values[c]
      const top = Math.min(y(value), y(0))
      body.push(`<rect x="${round(left)}" y="${round(top)}" width="${round(bar * 0.9)}" height="${round(Math.abs(y(value) - y(0)))}" fill="${PALETTE[k % PALETTE.length]}"/>`)
      const error = s.errors?.[c]
      if (error !== undefined && error > 0) {
        const mid = left + bar * 0.45
        body.push(`<line x1="${round(mid)}" x2="${round(mid)}" y1="${round(y(value - error))}" y2="${round(y(value + error))}" stroke="#222"/>`)
      }
      const reference = s.references?.[c]
      if (reference !== undefined && reference !== null)
        body.push(`<line x1="${round(left - 2)}" x2="${round(left + bar * 0.9 + 2)}" y1="${round(y(reference))}" y2="${round(y(reference))}" stroke="black" stroke-width="3"/>`)
    })
  })
  const entries = series.map((s, k) => ({ name: s.name, color: PALETTE[k % PALETTE.length] }))
  if (referenceName !== undefined) entries.push({ name: referenceName, color: 'black' })
  for (const entry of legend(frame.width - frame.right + 14, frame.top + 8, entries)) body.push(entry)
  return document(frame, body)
}
