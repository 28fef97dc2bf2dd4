/** The diverging relevance colour scale shared by every renderer: blue negative, white zero, red positive. */

export interface Rgb {
  r: number
  g: number
  b: number
}

/** The largest |value|, or 1 when every value is zero (so scaling never divides by zero). */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0
  for (let n = 0; n < values.length; n++) max = Math.max(max, Math.abs(values[n]))
  return max > 0 && Number.isFinite(max) ? max : 1
}

/** The colour of `value` on a scale whose ends are ±`scale`: linear from white to full red or blue. */
export function relevanceRgb(value: number, scale: number): Rgb {
  const strength = Number.isFinite(value) ? Math.min(Math.abs(value) / scale, 1) : 0
  const fade = Math.round(255 * (1 - strength))
  return value >= 0 ? { r: 255, g: fade, b: fade } : { r: fade, g: fade, b: 255 }
}

/** Dark text on light cells, white on saturated ones (readable on either end of the scale). */
export function textRgb(value: number, scale: number): Rgb {
  return Math.abs(value) / scale > 0.6 ? { r: 255, g: 255, b: 255 } : { r: 0, g: 0, b: 0 }
}

export function hex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`
}

/** A relevance value for people: signed, three significant digits. */
export function formatRelevance(value: number): string {
  if (value === 0) return '0'
  return `${value > 0 ? '+' : ''}${Number(value.toPrecision(3))}`
}

/** An input value for a tooltip: four significant digits. */
export function formatInputValue(value: number): string {
  return String(Number(value.toPrecision(4)))
}

/** "max |R| 1.25": the scale a heatmap's colours are relative to. */
export function maxAbsText(scale: number): string {
  return `max |R| ${formatRelevance(scale).replace('+', '')}`
}

/** Labels of the steps: the tokens, or the step indices. */
export function stepLabels(tokens: readonly string[] | undefined, steps: number): string[] {
  return tokens !== undefined ? [...tokens] : Array.from({ length: steps }, (_, t) => String(t))
}

/** Relevance under this share of the row's max |R| counts as near zero: the terminal leaves it uncoloured. */
export const NEAR_ZERO = 0.05

export function isNearZero(value: number, scale: number): boolean {
  return Math.abs(value) < NEAR_ZERO * scale
}
