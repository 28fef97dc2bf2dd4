/**
 * Table 11.2: train the one-cell models for each toy task, explain their test sequences with every
 * method, and summarise ρ(n_a, R_a), ρ(n_b, R_b) and the relevance share over the models.
 */
import { CONTEXTUAL_DECOMPOSITION, GRADIENT_X_INPUT, lrp, OCCLUSION_F_DIFF, type NamedMethod } from '../methods.js'
import { summarise, type Summary } from '../statistics.js'
import { arithmeticSplits, type ArithmeticTask } from './tasks.js'
import { relevanceStatistics, type RelevanceStatistics } from './statistics.js'
import { modelCounts, TARGET_VALIDATION_MSE, trainModels } from './train-models.js'
import { SILENT, type ExperimentReporter } from '../reporter.js'

/** LRP without any stabiliser, as the paper found none necessary on these tasks. */
export const FIDELITY_METHODS: NamedMethod[] = [GRADIENT_X_INPUT, OCCLUSION_F_DIFF, lrp('prop', 0), lrp('abs', 0), lrp('half', 0), lrp('all', 0), CONTEXTUAL_DECOMPOSITION]
export const TASKS: ArithmeticTask[] = ['addition', 'subtraction']

export interface FidelitySettings {
  /** Models per task (the paper: 50). */
  models: number
  seed: number
  /** Trainings at a time (natively each runs off the main thread, so they overlap; on WASM they take turns on it). */
  concurrency: number
  /** Give up after this many seeds per task. */
  maxTries: number
  sizes?: { train: number; validation: number; test: number }
}

export interface MethodResult {
  rhoA: Summary
  rhoB: Summary
  share: Summary
  /** Per model, in the order of `seeds`. */
  perModel: RelevanceStatistics[]
}

export interface TaskResult {
  task: ArithmeticTask
  seeds: number[]
  tries: number
  failedSeeds: number[]
  epochs: Summary
  validationMse: Summary
  testMse: Summary
  methods: Record<string, MethodResult>
}

export interface FidelityResult {
  settings: FidelitySettings
  tasks: TaskResult[]
  seconds: number
}

async function runTask(task: ArithmeticTask, settings: FidelitySettings, report: ExperimentReporter): Promise<TaskResult> {
  const data = arithmeticSplits(task, settings.seed, settings.sizes)
  const started = Date.now()
  let kept = 0
  const outcome = await trainModels(data, {
    count: settings.models,
    // Each task draws from its own block of seeds, so adding models to one task never changes the other.
    firstSeed: settings.seed * 100_000 + (TASKS.indexOf(task) + 1) * 10_000,
    concurrency: settings.concurrency,
    maxTries: settings.maxTries,
    onTry: (seed, result) => {
      const verdict = result === null ? `did not reach validation MSE < ${TARGET_VALIDATION_MSE}: rejected` : `${result.epochs} epochs to validation MSE < ${TARGET_VALIDATION_MSE}`
      report.log(`${task}, seed ${seed}: ${verdict} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
      if (result !== null) report.progress(TASKS.indexOf(task) * settings.models + ++kept, TASKS.length * settings.models)
    },
  })
  report.log(`${task}: ${modelCounts(outcome.models.length, outcome.tries)}`)
  const perMethod = new Map<string, RelevanceStatistics[]>(FIDELITY_METHODS.map((method) => [method.name, []]))
  const inputs = data.test.map((item) => item.input)
  try {
    for (const { model } of outcome.models)
      for (const method of FIDELITY_METHODS) {
        const explanations = await model.explainBatch(inputs, { ...method.options, target: 0 })
        perMethod.get(method.name)!.push(
          relevanceStatistics(
            data.test,
            explanations.map((explanation) => explanation.perStep),
          ),
        )
      }
  } finally {
    outcome.models.forEach(({ model }) => model.dispose())
  }
  const percent = (values: number[]) => summarise(values.map((value) => 100 * value))
  const methods: Record<string, MethodResult> = {}
  for (const [name, perModel] of perMethod)
    methods[name] = {
      rhoA: percent(perModel.map((s) => s.rhoA)),
      rhoB: percent(perModel.map((s) => s.rhoB)),
      share: percent(perModel.map((s) => s.share)),
      perModel,
    }
  return {
    task,
    seeds: outcome.models.map((model) => model.seed),
    tries: outcome.tries,
    failedSeeds: outcome.failedSeeds,
    epochs: summarise(outcome.models.map((model) => model.epochs)),
    validationMse: summarise(outcome.models.map((model) => model.validationMse)),
    testMse: summarise(outcome.models.map((model) => model.testMse)),
    methods,
  }
}

export async function runFidelity(settings: FidelitySettings, report: ExperimentReporter = SILENT): Promise<FidelityResult> {
  const started = Date.now()
  const tasks: TaskResult[] = []
  for (const task of TASKS) tasks.push(await runTask(task, settings, report))
  return { settings, tasks, seconds: (Date.now() - started) / 1000 }
}
