/** What the relevance renderers draw: one row per explained input. */
export interface HeatmapRow {
  /** Caption of the row (an id, the explained class). */
  title?: string
  /** One label per step: the tokens of a text. Without them steps are labelled by index. */
  tokens?: readonly string[]
  /** Relevance per step (an explanation's perStep). */
  relevance: ArrayLike<number>
  /** The input as one number per step (see seriesOf): drawn as a line plot by renderSvg. */
  series?: ArrayLike<number>
}
