/** A line chart with markers (selectivity curves). */
import { document, extent, legend, PALETTE, plotHeight, plotWidth, round, text, tickLabel, ticks, yAxis, type Frame } from './elements.js'

export interface LineSeries {
  name: string
  points: [x: number, y: number][]
  dashed?: boolean
}

export interface LineChart {
  title: string
  xLabel: string
  yLabel: string
  series: LineSeries[]
  yRange?: [number, number]
}

export function lineChart({ title, xLabel, yLabel, series, yRange }: LineChart): string {
  const frame: Frame = { width: 640, height: 420, left: 60, right: 180, top: 32, bottom: 46 }
  const xs = series.flatMap((s) => s.points.map(([x]) => x))
  const ys = series.flatMap((s) => s.points.map(([, y]) => y))
  const [x0, x1] = extent(xs)
  const [y0, y1] = yRange ?? extent(ys)
  const x = (value: number) => frame.left + ((value - x0) / (x1 - x0 || 1)) * plotWidth(frame)
  const y = (value: number) => frame.top + (1 - (value - y0) / (y1 - y0 || 1)) * plotHeight(frame)
  const body = yAxis(frame, ticks(y0, y1), y, title, yLabel)
  for (const value of ticks(x0, x1, Math.min(10, x1 - x0 || 1))) body.push(text(x(value), frame.height - frame.bottom + 16, tickLabel(value), 'text-anchor="middle"'))
  body.push(text(frame.left + plotWidth(frame) / 2, frame.height - 10, xLabel, 'text-anchor="middle"'))
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]
    const path = s.points.map(([px, py], n) => `${n === 0 ? 'M' : 'L'}${round(x(px))},${round(y(py))}`).join(' ')
    body.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`)
    for (const [px, py] of s.points) body.push(`<circle cx="${round(x(px))}" cy="${round(y(py))}" r="3" fill="${color}"/>`)
  })
  for (const entry of legend(
    frame.width - frame.right + 14,
    frame.top + 8,
    series.map((s, k) => ({ name: s.name, color: PALETTE[k % PALETTE.length], dashed: s.dashed })),
  ))
    body.push(entry)
  return document(frame, body)
}
