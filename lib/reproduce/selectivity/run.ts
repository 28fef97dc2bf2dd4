/**
 * Fig. 11.5: on the SST model, remove up to five words per test sentence (≥ 10 words) in the order
 * each method's relevance for the true class gives, and track the accuracy of the initially correct
 * and the initially misclassified sentences; random removal is the mean of several seeded runs.
 */
import type { Model } from '../../model/model.js'
import type { LabelledPhrase } from '../../text/sst-tree.js'
import { seededRandom } from '../../train/random.js'
import { CONTEXTUAL_DECOMPOSITION, GRADIENT, GRADIENT_X_INPUT, lrp, OCCLUSION_F_DIFF, OCCLUSION_P_DIFF, type NamedMethod } from '../methods.js'
import { mean, summarise } from '../statistics.js'
import { sentenceTokens } from '../sst/accuracy.js'
import { randomOrder, removalOrder, withoutPositions } from './removal.js'
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

interface Sentence {
  tokens: number[]
  label: number
  correct: boolean
}

/** Accuracy after 0..MAX_REMOVALS removals, each sentence removing in its own order (no points for an empty group). */
async function accuracyCurve(model: Model, sentences: Sentence[], orders: number[][]): Promise<number[]> {
  const curve: number[] = []
  if (sentences.length === 0) return curve
  for (let removed = 0; removed <= MAX_REMOVALS; removed++) {
    const items = sentences.map((sentence, n) => ({ input: { tokens: withoutPositions(sentence.tokens, orders[n], removed) }, target: sentence.label }))
    curve.push((await model.evaluate(items)).accuracy ?? 0)
  }
  return curve
}

async function groupCurves(model: Model, sentences: Sentence[], orders: number[][]): Promise<{ correct: number[]; misclassified: number[] }> {
  const pick = (correct: boolean) => sentences.flatMap((sentence, n) => (sentence.correct === correct ? [n] : []))
  const [right, wrong] = [pick(true), pick(false)]
  return {
    correct: await accuracyCurve(
      model,
      right.map((n) => sentences[n]),
      right.map((n) => orders[n]),
    ),
    misclassified: await accuracyCurve(
      model,
      wrong.map((n) => sentences[n]),
      wrong.map((n) => orders[n]),
    ),
  }
}

export function eligibleSentences(test: LabelledPhrase[], limit?: number): LabelledPhrase[] {
  const long = test.filter((sentence) => sentence.words.length >= MIN_WORDS)
  return limit === undefined ? long : long.slice(0, limit)
}

export async function runSelectivity(model: Model, test: LabelledPhrase[], settings: SelectivitySettings, report: ExperimentReporter = SILENT): Promise<SelectivityResult> {
  const started = Date.now()
  const sentences: Sentence[] = eligibleSentences(test, settings.sentences).map(({ words, label }) => {
    const tokens = sentenceTokens(model, words)
    return { tokens, label, correct: model.predict({ tokens }).label === label }
  })
  const items = sentences.map((sentence) => ({ input: { tokens: sentence.tokens }, target: sentence.label }))
  const curves: SelectivityResult['curves'] = {}
  for (const method of SELECTIVITY_METHODS) {
    const explanations = await model.explainBatch(items, method.options)
    const orders = explanations.map((explanation, n) => removalOrder(explanation.perStep, sentences[n].correct))
    curves[method.name] = await groupCurves(model, sentences, orders)
    report.log(`${method.name}: done (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    report.progress(Object.keys(curves).length, SELECTIVITY_METHODS.length + settings.randomRuns)
  }
  const random = seededRandom(settings.seed)
  const runs: { correct: number[]; misclassified: number[] }[] = []
  for (let run = 0; run < settings.randomRuns; run++) {
    runs.push(
      await groupCurves(
        model,
        sentences,
        sentences.map((sentence) => randomOrder(sentence.tokens.length, random)),
      ),
    )
    report.progress(SELECTIVITY_METHODS.length + run + 1, SELECTIVITY_METHODS.length + settings.randomRuns)
  }
  const at = (group: 'correct' | 'misclassified', k: number) => runs.map((run) => run[group][k])
  const steps = Array.from({ length: MAX_REMOVALS + 1 }, (_, k) => k)
  curves[RANDOM] = {
    correct: steps.map((k) => mean(at('correct', k))),
    misclassified: steps.map((k) => mean(at('misclassified', k))),
  }
  const correct = sentences.filter((sentence) => sentence.correct).length
  return {
    sentences: sentences.length,
    correct,
    misclassified: sentences.length - correct,
    curves,
    randomStd: { correct: steps.map((k) => summarise(at('correct', k)).std), misclassified: steps.map((k) => summarise(at('misclassified', k)).std) },
    seconds: (Date.now() - started) / 1000,
  }
}
