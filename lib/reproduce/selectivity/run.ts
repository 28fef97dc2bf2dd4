/**
 * Fig. 11.5: on the SST model, delete up to five words per test sentence (≥ 10 words) in the order
 * each method's relevance for the true class gives, and track the accuracy of the initially correct
 * and the initially misclassified sentences; random removal is the mean of several seeded runs.
 * The removal experiment of `lstm-lrp evaluate-methods` computes it.
 */
import type { Model } from '../../model/model.js'
import type { LabelledPhrase } from '../../text/sst-tree.js'
import { CONTEXTUAL_DECOMPOSITION, GRADIENT, GRADIENT_X_INPUT, lrp, OCCLUSION_F_DIFF, OCCLUSION_P_DIFF, type NamedMethod } from '../methods.js'
import { sentenceTokens } from '../sst/accuracy.js'
import { runRemovalExperiment } from '../../compare/removal-experiment.js'
import { SILENT, type ExperimentReporter } from '../reporter.js'

/** The paper's stabiliser for the LRP rules, and the larger one it needed for the prop product rule. */
export const SELECTIVITY_EPS = 0.0019
export const PROP_PRODUCT_EPS = 0.2
export const MIN_WORDS = 10
export const MAX_REMOVALS = 5

export const SELECTIVITY_METHODS: NamedMethod[] = [
  lrp('all', SELECTIVITY_EPS),
  lrp('prop', SELECTIVITY_EPS, PROP_PRODUCT_EPS),
  lrp('abs', SELECTIVITY_EPS),
  lrp('half', SELECTIVITY_EPS),
  GRADIENT,
  GRADIENT_X_INPUT,
  OCCLUSION_F_DIFF,
  OCCLUSION_P_DIFF,
  CONTEXTUAL_DECOMPOSITION,
]
export const RANDOM = 'Random'

export interface SelectivitySettings {
  /** Use only the first N eligible test sentences (default: all). */
  sentences?: number
  randomRuns: number
  seed: number
}

export interface SelectivityResult {
  sentences: number
  correct: number
  misclassified: number
  /** Method → accuracy after 0..5 removals, for the initially correct and the initially misclassified sentences. */
  curves: Record<string, { correct: number[]; misclassified: number[] }>
  /** Standard deviation over the random runs after each removal. */
  randomStd: { correct: number[]; misclassified: number[] }
  seconds: number
}

export function eligibleSentences(test: LabelledPhrase[], limit?: number): LabelledPhrase[] {
  const long = test.filter((sentence) => sentence.words.length >= MIN_WORDS)
  return limit === undefined ? long : long.slice(0, limit)
}

/** One run of the general removal experiment: words deleted, the correct sentences' most relevant first and the misclassified ones' least relevant first. */
export async function runSelectivity(model: Model, test: LabelledPhrase[], settings: SelectivitySettings, report: ExperimentReporter = SILENT): Promise<SelectivityResult> {
  const examples = eligibleSentences(test, settings.sentences).map(({ words, label }) => ({ input: { tokens: sentenceTokens(model, words) }, label }))
  const result = await runRemovalExperiment(model, examples, SELECTIVITY_METHODS, { removal: 'delete', maxRemovals: MAX_REMOVALS, randomRuns: settings.randomRuns, seed: settings.seed }, report)
  const curves: SelectivityResult['curves'] = {}
  for (const method of result.methods) curves[method.name] = { correct: method.most.accuracy.correct, misclassified: method.least.accuracy.misclassified }
  curves[RANDOM] = { correct: result.random.accuracy.correct, misclassified: result.random.accuracy.misclassified }
  return {
    sentences: result.examples,
    correct: result.correct,
    misclassified: result.misclassified,
    curves,
    randomStd: { correct: result.randomStd.correct, misclassified: result.randomStd.misclassified },
    seconds: result.seconds,
  }
}
