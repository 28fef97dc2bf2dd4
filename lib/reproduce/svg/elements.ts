/** Small SVG building blocks for the reproduction figures: escaped text, axes with round ticks. */
import { escapeMarkup } from '../../viz/escape.js'
import { svgDocument } from '../../viz/svg-document.js'

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f']

export function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${round(x)}" y="${round(y)}" ${attributes}>${escapeMarkup(content)}</text>`
}

/** The smallest and largest of `values` (Infinity and -Infinity when there are none), by a loop: spreading a long series into Math.min overflows the stack. */
export function extent(values: Iterable<number>): [low: number, high: number] {
  let low = Infinity
  let high = -Infinity
  for (const value of values) {
    low = Math.min(low, value)
    high = Math.max(high, value)
  }
  return [low, high]
}

export function round(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** About `count` ticks at round values (1, 2 or 5 times a power of ten) covering [low, high]. */
export function ticks(low: number, high: number, count = 5): number[] {
  const span = high - low || 1
  const raw = span / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power
  const values: number[] = []
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) values.push(Math.round(value / step) * step)
  return values
}

export function tickLabel(value: number): string {
  return Number(value.toPrecision(6)).toString()
}

export interface Frame {
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}

export function plotWidth(frame: Frame): number {
  return frame.width - frame.left - frame.right
}

export function plotHeight(frame: Frame): number {
  return frame.height - frame.top - frame.bottom
}

export function document(frame: Frame, body: string[]): string {
  return svgDocument({ width: frame.width, height: frame.height, fontFamily: 'sans-serif', fontSize: 12, background: 'white' }, body)
}

/** A y axis with grid lines and labels, the title above the plot, and the y label rotated. */
export function yAxis(frame: Frame, values: number[], y: (value: number) => number, title: string, label: string): string[] {
  const out = values.map(
    (value) => `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${round(y(value))}" y2="${round(y(value))}" stroke="#ddd"/>` + text(frame.left - 6, y(value) + 4, tickLabel(value), 'text-anchor="end"'),
  )
  out.push(text(frame.width / 2, 18, title, 'text-anchor="middle" font-size="14" font-weight="bold"'))
  const middle = frame.top + plotHeight(frame) / 2
  out.push(text(16, middle, label, `text-anchor="middle" transform="rotate(-90 16 ${round(middle)})"`))
  return out
}

/** A legend box of coloured entries at the top-left corner of (x, y). */
export function legend(x: number, y: number, entries: { name: string; color: string; dashed?: boolean }[]): string[] {
  return entries.map(({ name, color, dashed }, k) => {
    const row = y + 16 * k
    return `<line x1="${x}" x2="${x + 22}" y1="${row}" y2="${row}" stroke="${color}" stroke-width="2.5"${dashed ? ' stroke-dasharray="5 3"' : ''}/>` + text(x + 28, row + 4, name)
  })
}
