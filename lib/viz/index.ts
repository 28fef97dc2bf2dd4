/** Relevance renderings for terminals, HTML and SVG: pure string functions, for Node and browsers alike. */
export { renderTerminal, type TerminalOptions } from './terminal.js'
export { renderHtml, type HtmlOptions } from './html.js'
export { renderSvg, type SvgOptions } from './svg.js'
export { seriesOf } from './series.js'
export type { HeatmapRow } from './types.js'
