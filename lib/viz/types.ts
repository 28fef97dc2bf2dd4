/** What the relevance renderers draw: one row per explained input. */
export interface HeatmapRow {
  /** Caption of the row (an id). */
  title?: string
  /** One label per step: the tokens of a text. Without them steps are labelled by index (or by their input values). */
  tokens?: readonly string[]
  /** Relevance per step (an explanation's perStep). */
  relevance: ArrayLike<number>
  /** Steps whose word is not in the vocabulary, so the model read `<unk>` there (encodeTokens' and tokenizeText's `unknown`). */
  unknown?: readonly number[]
  /** One number per step to plot under the relevance (see seriesOf); renderSvg draws it as a line plot. */
  series?: ArrayLike<number>
  /**
   * A numeric input as T rows of F numbers (the `x` given to explain). One feature: its signed values
   * are plotted (SVG) and label the steps. Several: a feature × step heatmap of `featureRelevance`.
   */
  x?: readonly ArrayLike<number>[]
  /** Relevance per step and feature, row-major T × F (an explanation's `relevance`): needed with `x` of several features. */
  featureRelevance?: ArrayLike<number>
  /** The explained target, as the caption shows it ("positive (1)"). */
  target?: string
  /** The predicted label ("positive"). */
  predicted?: string
  /** The probability of the predicted label, in [0, 1]. */
  probability?: number
  /** The explanation method ("lrp"). */
  method?: string
  /** The method's effective options ({ rule: 'all', eps: 0.001, ... }): shown with the method. */
  options?: Readonly<Record<string, unknown>>
  /** The model the explanation came from (a file name). */
  model?: string
}
