/** `lstm-lrp reproduce`: one subcommand per experiment of the paper (docs/REPRODUCTION.md); each writes a table, JSON and SVG figures. */
import path from 'node:path'
import { Command } from 'commander'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import { integerFlag } from './number-flags.js'
import { cannotWrite, checkOutputFolder } from './destination.js'
import { jobProgress, type JobProgress } from './progress.js'
import type { ExperimentFiles, ExperimentReporter } from '../reproduce/index.js'

/** The experiments load when a subcommand runs: `lstm-lrp --help` and the other commands never read them. */
const experiments = () => import('../reproduce/index.js')

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

/**
 * Lines on stderr, and a bar with rate and ETA over the experiment's units of work (plain periodic
 * lines off a terminal); the bar starts with the first report of progress, which gives the total.
 */
function reporter(unit: string, verb: string): ExperimentReporter & { finish(): void } {
  let bar: JobProgress | null = null
  return {
    log: (line) => (bar === null ? log(line) : bar.log(line)),
    progress(done, total) {
      bar ??= jobProgress({ mode: 'auto', size: total, verb, unit })
      bar.advance(done, done)
    },
    finish: () => bar?.finish(),
  }
}

async function finish(dir: string, files: ExperimentFiles, table: string): Promise<void> {
  process.stdout.write(table)
  const { writeExperiment } = await experiments()
  const written = await cannotWrite(dir, () => writeExperiment(dir, files))
  log(`wrote ${written.join(', ')}`)
}

function fidelityCommand(): Command {
  return new Command('fidelity')
    .description('Table 11.2: relevance vs. the summands on toy addition and subtraction, one-cell LSTMs')
    .option('--models <n>', 'models per task', '50')
    .option('--seed <s>', 'seed of the data and of the first model', '1')
    .option('--concurrency <n>', 'trainings at a time', '2')
    .option('--out <dir>', 'output folder', path.join('lstm-lrp-results', 'fidelity'))
    .action(async (flags: { models: string; seed: string; concurrency: string; out: string }) => {
      const models = integerFlag(flags.models, '--models', 1)
      const settings = { models, seed: integerFlag(flags.seed, '--seed', 0), concurrency: integerFlag(flags.concurrency, '--concurrency', 1), maxTries: 10 * models }
      await checkOutputFolder(flags.out)
      const { compactJson, fidelityFigure, fidelityTable, runFidelity } = await experiments()
      const report = reporter('model', 'kept')
      const result = await runFidelity(settings, report)
      report.finish()
      const table = fidelityTable(result)
      const figures = Object.fromEntries(result.tasks.map((task) => [`fidelity-${task.task}.svg`, fidelityFigure(task)]))
      await finish(flags.out, { 'table-11-2.txt': table, 'fidelity.json': compactJson(result), ...figures }, table)
    })
}

function selectivityCommand(): Command {
  return new Command('selectivity')
    .description('Fig. 11.5: accuracy of the SST model as the words each method finds most (least) relevant are removed')
    .option('--model <file>', 'sentiment model (default: the shipped SST model)')
    .option('--data <dir>', "SST trees folder with test.txt or test.txt.gz (default: the package's data/sst)")
    .option('--sentences <n>', 'use the first n test sentences with at least 10 words (default: all)')
    .option('--random-runs <n>', 'runs of random removal to average', '10')
    .option('--seed <s>', 'seed of the random removal', '1')
    .option('--out <dir>', 'output folder', path.join('lstm-lrp-results', 'selectivity'))
    .action(async (flags: { model?: string; data?: string; sentences?: string; randomRuns: string; seed: string; out: string }) => {
      const settings = {
        ...(flags.sentences !== undefined ? { sentences: integerFlag(flags.sentences, '--sentences', 1) } : {}),
        randomRuns: integerFlag(flags.randomRuns, '--random-runs', 1),
        seed: integerFlag(flags.seed, '--seed', 0),
      }
      await checkOutputFolder(flags.out)
      const { compactJson, defaultSstDir, PROP_PRODUCT_EPS, readSstTrees, runSelectivity, SELECTIVITY_EPS, selectivityFigure, selectivityTable, sentences } = await experiments()
      const modelFile = flags.model ?? defaultModelPath()
      const model = await loadModel(modelFile)
      try {
        const test = sentences(await readSstTrees(flags.data ?? defaultSstDir(), 'test'))
        const report = reporter('removal curve', 'computed')
        const result = await runSelectivity(model, test, settings, report)
        report.finish()
        const header =
          `Fig. 11.5 on ${path.basename(modelFile)}: ${result.sentences} SST test sentences with at least 10 words; relevance for the true class; ` +
          `LRP eps ${SELECTIVITY_EPS} (prop product rule ${PROP_PRODUCT_EPS}); random: mean of ${settings.randomRuns} runs; ${result.seconds.toFixed(0)} s.`
        const table = selectivityTable(result, header)
        await finish(
          flags.out,
          {
            'figure-11-5.txt': table,
            'selectivity.json': compactJson({ settings, ...result }),
            'figure-11-5-correct.svg': selectivityFigure(result, 'correct'),
            'figure-11-5-misclassified.svg': selectivityFigure(result, 'misclassified'),
          },
          table,
        )
      } finally {
        model.dispose()
      }
    })
}

function rewardCommand(): Command {
  return new Command('reward-redistribution')
    .description('Fig. 11.6–11.7: LRP redistributes the predicted return of a Moneybag/Coins grid world with the all, prop and half rules')
    .option('--models <n>', 'models to train', '5')
    .option('--episodes <n>', 'training episodes (validation and test: a quarter each)', '4000')
    .option('--seed <s>', 'seed of the episodes and models', '1')
    .option('--out <dir>', 'output folder', path.join('lstm-lrp-results', 'reward-redistribution'))
    .action(async (flags: { models: string; episodes: string; seed: string; out: string }) => {
      const train = integerFlag(flags.episodes, '--episodes', 4)
      const settings = {
        models: integerFlag(flags.models, '--models', 1),
        seed: integerFlag(flags.seed, '--seed', 0),
        episodes: { train, validation: Math.ceil(train / 4), test: Math.ceil(train / 4) },
      }
      await checkOutputFolder(flags.out)
      const { compactJson, episodeFigure, rewardTable, runRewardRedistribution, sharesFigure } = await experiments()
      const report = reporter('model', 'trained')
      const result = await runRewardRedistribution(settings, report)
      report.finish()
      const table = rewardTable(result)
      const figures: ExperimentFiles = {
        'figure-11-6.svg': episodeFigure(result.examples.moneybag, 'Fig. 11.6: an episode with the Moneybag'),
        'moneybag-share.svg': sharesFigure(result),
      }
      if (result.examples.coinsBeforeMoneybag !== null) figures['figure-11-7.svg'] = episodeFigure(result.examples.coinsBeforeMoneybag, 'Fig. 11.7: Coins before the Moneybag do not count')
      await finish(flags.out, { 'reward-redistribution.txt': table, 'reward-redistribution.json': compactJson(result), ...figures }, table)
    })
}

export function reproduceCommand(): Command {
  return new Command('reproduce').description("Reproduce the paper's experiments (Table 11.2, Fig. 11.5, Fig. 11.6–11.7)").addCommand(fidelityCommand()).addCommand(selectivityCommand()).addCommand(rewardCommand())
}
