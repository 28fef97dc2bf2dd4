/**
 * Fig. 11.6–11.7: markov LSTMs predict the return of grid-world episodes; LRP with the all, prop
 * and half rule on the input gate redistributes the predicted return over the steps. Over the test
 * episodes in which the Moneybag was collected and Coins counted, we measure the share of the
 * absolute relevance that lands on the Moneybag step and on the counted Coin steps.
 */
import { createModel } from '../../model/load.js'
import type { Model } from '../../model/model.js'
import type { ExplainOptions, Explanation, RuleName } from '../../explain/types.js'
import { mean, summarise, type Summary } from '../statistics.js'
import { episodes, FEATURES, type Episode } from './grid-world.js'
import { SILENT, type ExperimentReporter } from '../reporter.js'

export const REWARD_RULES: RuleName[] = ['all', 'prop', 'half']

/**
 * Eq. 11.12–11.15 cells (no forget or output gate, z fed by the input only, i by the recurrence only);
 * readout `last`, since the paper labels each episode with one scalar, its return.
 */
export const REWARD_MODEL_CONFIG = {
  inputSize: FEATURES.length,
  layers: [{ hiddenSize: 8, bidirectional: false, cell: 'markov' }],
  head: { outputs: 1, bias: false, readout: 'last' },
  task: 'regression',
}
/**
 * A little weight decay keeps the head from reading the Moneybag cell directly (the return does not
 * need it once the Coin counter is gated): without it some seeds find solutions that use it.
 */
const TRAINING = { epochs: 150, batchSize: 32, lr: 0.01, patience: 20, weightDecay: 1e-4 }

/**
 * Redistribution should hand out the return, not lose it in biases: biasFactor 1 spreads what biases
 * and stabilisers absorb back over each map's inputs, so only relevance sent into the zero initial
 * state through the input gates goes missing, as the paper observes. productEps keeps the prop rule
 * finite where gate and cell input nearly cancel.
 */
export function rewardLrpOptions(rule: RuleName): ExplainOptions {
  return { method: 'lrp', rules: { input: rule }, eps: 0.001, productEps: 0.1, biasFactor: 1, target: 0 }
}

export interface RewardSettings {
  models: number
  seed: number
  episodes: { train: number; validation: number; test: number }
}

export interface RuleShares {
  /** Share of Σ_t |R_t| on the Moneybag step (mean over the episodes, then over the models). */
  moneybag: Summary
  /** Share on the Coins collected after the Moneybag. */
  countedCoins: Summary
  /** Σ_t R_t / predicted return: how much of the prediction reaches the steps. */
  redistributed: Summary
}

export interface ExampleEpisode {
  episode: Episode
  prediction: number
  /** Rule → T × 4 relevance, row-major by step. */
  relevance: Record<string, number[][]>
}

export interface RewardResult {
  settings: RewardSettings
  seeds: number[]
  validationMse: Summary
  testMse: Summary
  /** Test episodes with the Moneybag and a positive return, per model. */
  episodesMeasured: number
  shares: Record<string, RuleShares>
  /** Fig. 11.6: an episode with the Moneybag and counted Coins; Fig. 11.7: one with Coins before the Moneybag. */
  examples: { moneybag: ExampleEpisode; coinsBeforeMoneybag: ExampleEpisode | null }
  seconds: number
}

async function trainModel(seed: number, data: { train: Episode[]; validation: Episode[] }): Promise<{ model: Model; validationMse: number }> {
  const model = await createModel(REWARD_MODEL_CONFIG, { seed })
  const report = await model.train(data.train, { ...TRAINING, seed, validation: data.validation })
  return { model, validationMse: report.best?.validation?.loss ?? Infinity }
}

function shareOf(explanation: Explanation, steps: number[]): number {
  const total = Array.from(explanation.perStep).reduce((sum, value) => sum + Math.abs(value), 0)
  return total === 0 ? 0 : steps.reduce((sum, step) => sum + Math.abs(explanation.perStep[step]), 0) / total
}

function rows(explanation: Explanation): number[][] {
  const width = explanation.features
  return Array.from({ length: explanation.steps }, (_, t) => Array.from(explanation.relevance.subarray(t * width, (t + 1) * width)))
}

function example(model: Model, episode: Episode): ExampleEpisode {
  const relevance: Record<string, number[][]> = {}
  for (const rule of REWARD_RULES) relevance[`LRP-${rule}`] = rows(model.explain(episode.input, rewardLrpOptions(rule)))
  return { episode, prediction: model.predict(episode.input).scores[0], relevance }
}

/** The example episodes: the first test episodes (in order) with the wanted events, so the figure is reproducible. */
function pickExamples(model: Model, test: Episode[]): RewardResult['examples'] {
  const withMoneybag = test.find((e) => e.moneybagStep !== null && e.moneybagStep > 0 && e.target >= 3) ?? test.find((e) => e.target > 0)!
  // Coins on the first steps meet a not yet closed input gate; later ones show the learned rule.
  const early = test.find((e) => e.coins.some((coin) => !coin.counted && coin.step >= 3) && e.target > 0)
  return { moneybag: example(model, withMoneybag), coinsBeforeMoneybag: early === undefined ? null : example(model, early) }
}

export async function runRewardRedistribution(settings: RewardSettings, report: ExperimentReporter = SILENT): Promise<RewardResult> {
  const started = Date.now()
  const data = {
    train: episodes(settings.episodes.train, settings.seed * 3 + 1),
    validation: episodes(settings.episodes.validation, settings.seed * 3 + 2),
    test: episodes(settings.episodes.test, settings.seed * 3 + 3),
  }
  const measured = data.test.filter((e) => e.moneybagStep !== null && e.target > 0)
  const perRule = new Map(REWARD_RULES.map((rule) => [rule, { moneybag: [] as number[], countedCoins: [] as number[], redistributed: [] as number[] }]))
  const seeds = Array.from({ length: settings.models }, (_, k) => settings.seed * 1000 + k)
  const validationMse: number[] = []
  const testMse: number[] = []
  let examples: RewardResult['examples'] | null = null
  for (const seed of seeds) {
    const { model, validationMse: mse } = await trainModel(seed, data)
    try {
      validationMse.push(mse)
      testMse.push((await model.evaluate(data.test)).loss)
      for (const rule of REWARD_RULES) {
        const explanations = await model.explainBatch(
          measured.map((e) => e.input),
          rewardLrpOptions(rule),
        )
        const stats = perRule.get(rule)!
        stats.moneybag.push(mean(explanations.map((x, n) => shareOf(x, [measured[n].moneybagStep!]))))
        stats.countedCoins.push(
          mean(
            explanations.map((x, n) =>
              shareOf(
                x,
                measured[n].coins.filter((c) => c.counted).map((c) => c.step),
              ),
            ),
          ),
        )
        stats.redistributed.push(mean(explanations.map((x) => Array.from(x.perStep).reduce((a, b) => a + b, 0) / x.scores[0])))
      }
      examples ??= pickExamples(model, data.test)
    } finally {
      model.dispose()
    }
    report.progress(seeds.indexOf(seed) + 1, seeds.length)
    report.log(`model ${seeds.indexOf(seed) + 1}/${seeds.length}: validation MSE ${mse.toExponential(2)} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  }
  const shares: Record<string, RuleShares> = {}
  for (const [rule, stats] of perRule) shares[`LRP-${rule}`] = { moneybag: summarise(stats.moneybag), countedCoins: summarise(stats.countedCoins), redistributed: summarise(stats.redistributed) }
  return {
    settings,
    seeds,
    validationMse: summarise(validationMse),
    testMse: summarise(testMse),
    episodesMeasured: measured.length,
    shares,
    examples: examples!,
    seconds: (Date.now() - started) / 1000,
  }
}
