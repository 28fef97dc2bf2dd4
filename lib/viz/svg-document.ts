/** The frame every SVG this package writes shares: the root element, an optional <desc>, a background, the body. */
import { escapeMarkup } from './escape.js'

export interface SvgPage {
  width: number
  height: number
  fontFamily: string
  fontSize: number
  background: string
  /** Text for readers of the file (a <desc> before everything drawn); none when undefined or empty. */
  description?: string
}

export function svgDocument(page: SvgPage, body: readonly string[]): string {
  const { width, height } = page
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${page.fontFamily}" font-size="${page.fontSize}">`,
    ...(page.description ? [`<desc>${escapeMarkup(page.description)}</desc>`] : []),
    `<rect width="${width}" height="${height}" fill="${page.background}"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n')
}
