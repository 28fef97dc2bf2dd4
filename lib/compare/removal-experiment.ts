/**
 * The selectivity experiment (the paper's Fig. 11.5) for any classifier and labelled data: remove up
 * to K steps of every example in the order each method's relevance for the true class gives (most
 * relevant first, and least relevant first) or in seeded random orders, and track the accuracy and
 * the true class's score (docs/METHODS.md § Comparing methods).
 */
import type { Model } from '../model/model.js'
import type { SequenceInput } from '../explain/types.js'
import type { NamedMethod } from '../reproduce/methods.js'
import { seededRandom } from '../train/random.js'
import { mean, summarise } from '../reproduce/statistics.js'
import { SILENT, type ExperimentReporter } from '../reproduce/reporter.js'
import { randomOrder, relevanceOrder, removableSteps, StepRemover, type Removal, type RemovalOrder } from './removal.js'
import { targetScore } from './deletion-curve.js'

export interface LabelledExample {
  input: SequenceInput
  /** The true class. */
  label: number
}

export interface RemovalSettings {
  removal: Removal
  /** K: steps removed at most (an example with fewer removable steps keeps its last copy past them). */
  maxRemovals: number
  /** Runs of random removal to average. */
  randomRuns: number
  seed: number
}

/** Accuracy after k = 0..K removals: over every example, and over the initially correct and the initially misclassified ones (empty for an empty group). */
export interface AccuracyCurves {
  all: number[]
  correct: number[]
  misclassified: number[]
}

export interface RemovalCurves {
  accuracy: AccuracyCurves
  /** Mean over the examples of f(x) − f(x without k steps), f the true class's score, k = 0..K. */
  scoreDrop: number[]
  /** aopc[k]: the mean of scoreDrop[1..k], the AOPC with K = k (0 at k = 0). */
  aopc: number[]
}

export interface MethodRemoval {
  name: string
  most: RemovalCurves
  least: RemovalCurves
}

export interface RemovalExperiment {
  examples: number
  correct: number
  misclassified: number
  methods: MethodRemoval[]
  /** The mean over the random runs, and the standard deviation of their accuracy. */
  random: RemovalCurves
  randomStd: AccuracyCurves
  seconds: number
}

interface Example extends LabelledExample {
  remover: StepRemover
  /** min(K, removable steps). */
  removals: number
  baseScore: number
  correct: boolean
}

/** Examples predicted in one batch call: with K copies each, a batch of a few thousand short sequences. */
const EXAMPLES_PER_BATCH = 256

function curveMean(values: readonly number[][], steps: number): number[] {
  return values.length === 0 ? [] : Array.from({ length: steps }, (_, k) => mean(values.map((curve) => curve[k])))
}

/** Accuracy and score drop after k = 1..K removals, each example removing in its own order. */
function removalCurves(model: Model, examples: readonly Example[], orders: readonly number[][], maxRemovals: number): RemovalCurves {
  const outputs = model.config.head.outputs
  const right: number[][] = examples.map((example) => [example.correct ? 1 : 0])
  const drops: number[][] = examples.map(() => [0])
  for (let start = 0; start < examples.length; start += EXAMPLES_PER_BATCH) {
    const chunk = examples.slice(start, start + EXAMPLES_PER_BATCH)
    const copies = chunk.flatMap((example, n) => Array.from({ length: maxRemovals }, (_, k) => example.remover.without(orders[start + n], Math.min(k + 1, example.removals))))
    const predictions = model.predictBatch(copies)
    chunk.forEach((example, n) => {
      for (let k = 0; k < maxRemovals; k++) {
        const { scores, label } = predictions[n * maxRemovals + k]
        right[start + n].push(label === example.label ? 1 : 0)
        drops[start + n].push(example.baseScore - targetScore(scores, example.label, outputs))
      }
    })
  }
  const group = (correct: boolean) => right.filter((_, n) => examples[n].correct === correct)
  const steps = maxRemovals + 1
  const scoreDrop = curveMean(drops, steps)
  return {
    accuracy: { all: curveMean(right, steps), correct: curveMean(group(true), steps), misclassified: curveMean(group(false), steps) },
    scoreDrop,
    aopc: scoreDrop.map((_, k) => (k === 0 ? 0 : mean(scoreDrop.slice(1, k + 1)))),
  }
}

function meanCurves(runs: readonly RemovalCurves[], steps: number): RemovalCurves {
  const accuracy = (group: keyof AccuracyCurves) =>
    curveMean(
      runs.map((run) => run.accuracy[group]).filter((curve) => curve.length > 0),
      steps,
    )
  return {
    accuracy: { all: accuracy('all'), correct: accuracy('correct'), misclassified: accuracy('misclassified') },
    scoreDrop: curveMean(
      runs.map((run) => run.scoreDrop),
      steps,
    ),
    aopc: curveMean(
      runs.map((run) => run.aopc),
      steps,
    ),
  }
}

function stdCurves(runs: readonly RemovalCurves[], steps: number): AccuracyCurves {
  const std = (group: keyof AccuracyCurves) => (runs[0].accuracy[group].length === 0 ? [] : Array.from({ length: steps }, (_, k) => summarise(runs.map((run) => run.accuracy[group][k])).std))
  return { all: std('all'), correct: std('correct'), misclassified: std('misclassified') }
}

export async function runRemovalExperiment(
  model: Model,
  labelled: readonly LabelledExample[],
  methods: readonly NamedMethod[],
  settings: RemovalSettings,
  report: ExperimentReporter = SILENT,
): Promise<RemovalExperiment> {
  const started = Date.now()
  const { removal, maxRemovals } = settings
  const outputs = model.config.head.outputs
  const originals = model.predictBatch(labelled.map(({ input }) => input))
  const examples: Example[] = labelled.map((example, n) => {
    const remover = new StepRemover(model, example.input, removal)
    const { scores, label } = originals[n]
    return { ...example, remover, removals: Math.min(maxRemovals, removableSteps(remover.steps, removal)), baseScore: targetScore(scores, example.label, outputs), correct: label === example.label }
  })
  const total = methods.length + settings.randomRuns
  const items = labelled.map(({ input, label }) => ({ input, target: label }))
  const results: MethodRemoval[] = []
  for (const method of methods) {
    const explanations = await model.explainBatch(items, method.options)
    const ordered = (order: RemovalOrder) =>
      removalCurves(
        model,
        examples,
        explanations.map((explanation) => relevanceOrder(explanation.perStep, order)),
        maxRemovals,
      )
    results.push({ name: method.name, most: ordered('most'), least: ordered('least') })
    report.log(`${method.name}: done (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    report.progress(results.length, total)
  }
  const random = seededRandom(settings.seed)
  const runs: RemovalCurves[] = []
  for (let run = 0; run < settings.randomRuns; run++) {
    const orders = examples.map((example) => randomOrder(example.remover.steps, random))
    runs.push(removalCurves(model, examples, orders, maxRemovals))
    report.progress(methods.length + run + 1, total)
  }
  const correct = examples.filter((example) => example.correct).length
  return {
    examples: examples.length,
    correct,
    misclassified: examples.length - correct,
    methods: results,
    random: meanCurves(runs, maxRemovals + 1),
    randomStd: stdCurves(runs, maxRemovals + 1),
    seconds: (Date.now() - started) / 1000,
  }
}
