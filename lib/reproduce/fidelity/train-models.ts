/**
 * The 17-parameter models of Table 11.2: one-cell standard LSTMs with a bias-free linear head,
 * trained until the validation MSE is below 1e-4. A try that does not get there is dropped and
 * the next seed tried, as the paper keeps only such models.
 */
import { createModel } from '../../model/load.js'
import type { Model } from '../../model/model.js'
import type { ArithmeticSplits } from './tasks.js'
import { fail } from '../../errors.js'
import { FIDELITY_MODEL_CONFIG } from './model-config.js'

/**
 * The goal of docs/REPRODUCTION.md § Table 11.2: fidelity on toy addition and subtraction,
 * and the settings that reach it in about 100 epochs (addition) or 20 (subtraction).
 */
export const TARGET_VALIDATION_MSE = 1e-4
const TRAINING = { epochs: 300, batchSize: 16, lr: 0.003 }

export interface TrainedModel {
  seed: number
  model: Model
  epochs: number
  validationMse: number
  testMse: number
}

export interface TrainingOutcome {
  models: TrainedModel[]
  /** Seeds tried, each trained once: the kept models and the rejected ones. */
  tries: number
  /** Seeds rejected: they did not reach the goal. */
  failedSeeds: number[]
}

/** How many models were tried, kept and rejected, as the table and the progress lines both say it. */
export function modelCounts(kept: number, tries: number): string {
  return `${kept} of ${tries} models reached validation MSE < ${TARGET_VALIDATION_MSE}; ${tries - kept} rejected`
}

export type Trainer = (data: ArithmeticSplits, seed: number) => Promise<TrainedModel | null>

async function trainOne(data: ArithmeticSplits, seed: number): Promise<TrainedModel | null> {
  const model = await createModel(FIDELITY_MODEL_CONFIG, { seed })
  const report = await model.train(data.train, { ...TRAINING, seed, validation: data.validation, stopAtLoss: TARGET_VALIDATION_MSE })
  const validationMse = report.best?.validation?.loss ?? Infinity
  if (!(validationMse < TARGET_VALIDATION_MSE)) {
    model.dispose()
    return null
  }
  const { loss: testMse } = await model.evaluate(data.test)
  return { seed, model, epochs: report.epochs, validationMse, testMse }
}

/**
 * Tries seeds firstSeed, firstSeed + 1, ... with up to `concurrency` trainings at a time and keeps the
 * first `count` that succeed. A seed starts only while the successes and the trainings under way
 * fall short of `count`, so the seeds tried are the shortest run holding `count` successes: the same
 * whichever training ends first, and none trained only to be thrown away.
 */
export async function trainModels(
  data: ArithmeticSplits,
  {
    count,
    firstSeed,
    concurrency,
    maxTries,
    onTry,
    train = trainOne,
  }: { count: number; firstSeed: number; concurrency: number; maxTries: number; onTry?: (seed: number, result: TrainedModel | null) => void; train?: Trainer },
): Promise<TrainingOutcome> {
  const results = new Map<number, TrainedModel | null>()
  let next = firstSeed
  let successes = 0
  let running = 0
  const worker = async () => {
    while (successes + running < count && next < firstSeed + maxTries) {
      const seed = next++
      running++
      const result = await train(data, seed)
      running--
      results.set(seed, result)
      if (result !== null) successes++
      onTry?.(seed, result)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seeds = [...results.keys()].sort((a, b) => a - b)
  const kept = seeds.map((seed) => results.get(seed)).filter((result): result is TrainedModel => result != null)
  const failedSeeds = seeds.filter((seed) => results.get(seed) === null)
  if (kept.length < count) {
    kept.forEach((result) => result.model.dispose())
    fail('E_REPRODUCE', `only ${kept.length} of ${count} models reached validation MSE < ${TARGET_VALIDATION_MSE} in ${maxTries} tries`)
  }
  return { models: kept, tries: seeds.length, failedSeeds }
}
