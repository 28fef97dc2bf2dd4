/** `lstm-lrp evaluate-methods`: the selectivity experiment on any classifier and labelled data, one row per method. */
import path from 'node:path'
import { Command, Option } from 'commander'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import { defaultLoss } from '../train/options.js'
import { backendOption, dtypeOption, modelOption } from './model-flags.js'
import { integerFlag } from './number-flags.js'
import { cannotWrite, checkOutputFolder } from './destination.js'
import { labelledItems, readDataLines } from './input/labelled-data.js'
import { UsageError } from './usage.js'
import { comparableMethodNames, parseMethods, withMethodFlags } from './method-list.js'
import { addMethodOptions, type MethodFlags } from './method-flags.js'
import { REMOVALS, type Removal } from '../compare/removal.js'
import { runRemovalExperiment } from '../compare/removal-experiment.js'
import { accuracyFigure, aopcFigure, removalTable } from '../compare/removal-report.js'
import { compactJson, writeExperiment } from '../reproduce/output.js'

interface EvaluateMethodsFlags extends MethodFlags {
  model?: string
  data: string
  methods: string
  removal: Removal
  maxRemovals: string
  randomRuns: string
  randomSeed: string
  limit?: string
  out: string
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

async function runEvaluateMethods(flags: EvaluateMethodsFlags, command: Command): Promise<void> {
  const methods = withMethodFlags(parseMethods(flags.methods), flags, command)
  const settings = {
    removal: flags.removal,
    maxRemovals: integerFlag(flags.maxRemovals, '--max-removals', 1),
    randomRuns: integerFlag(flags.randomRuns, '--random-runs', 1),
    seed: integerFlag(flags.randomSeed, '--random-seed', 0),
  }
  const limit = flags.limit === undefined ? undefined : integerFlag(flags.limit, '--limit', 1)
  await checkOutputFolder(flags.out)
  const modelFile = flags.model ?? defaultModelPath()
  const model = await loadModel(modelFile, { backend: flags.backend, dtype: flags.dtype })
  try {
    const { task, head } = model.config
    if (task !== 'classification' || head.readout !== 'last') throw new UsageError(`evaluate-methods needs a classifier with readout last; ${path.basename(modelFile)} is a ${task} model with readout ${head.readout}`)
    const lines = (await readDataLines(flags.data)).slice(0, limit)
    const examples = labelledItems(flags.data, lines, model, defaultLoss(model.config)).map(({ input, target }) => ({ input, label: (target as number[])[0] }))
    const result = await runRemovalExperiment(model, examples, methods, settings, { log: (line) => process.stderr.write(`${line}\n`), progress: () => undefined })
    const accuracy = (100 * result.correct) / result.examples
    const header =
      `evaluate-methods on ${path.basename(modelFile)}: ${result.examples} examples, ${accuracy.toFixed(1)}% correct; relevance for the true class; ` +
      `steps ${settings.removal === 'zero' ? 'set to zero' : 'deleted'}, up to ${settings.maxRemovals}; random: mean of ${settings.randomRuns} runs (seed ${settings.seed}); ${result.seconds.toFixed(1)} s.`
    const table = removalTable(result, header)
    process.stdout.write(table)
    const files = {
      'evaluate-methods.txt': table,
      'evaluate-methods.json': compactJson({ model: path.basename(modelFile), data: flags.data, settings, ...result }),
      'accuracy-most.svg': accuracyFigure(result, 'most'),
      'accuracy-least.svg': accuracyFigure(result, 'least'),
      'aopc.svg': aopcFigure(result),
    }
    const written = await cannotWrite(flags.out, () => writeExperiment(flags.out, files))
    process.stderr.write(`wrote ${written.join(', ')}\n`)
  } finally {
    model.dispose()
  }
}

export function evaluateMethodsCommand(): Command {
  const command = new Command('evaluate-methods')
    .description('Compare explanation methods on labelled data: remove the steps each finds most (least) relevant for the true class, or random ones, and track accuracy and AOPC')
    .requiredOption('--data <file>', 'labelled JSON lines, as evaluate reads them ({"x" | "tokens" | "text": ..., "y": ...}; - for stdin)')
    .requiredOption('--methods <list>', `methods separated by commas: ${comparableMethodNames().join(', ')}`)
    .addOption(modelOption())
    .addOption(new Option('--removal <how>', 'how a step is removed: its vector set to zero (as occlusion does), or deleted').choices([...REMOVALS]).default('zero'))
    .option('--max-removals <k>', 'steps removed at most (K)', '5')
    .option('--random-runs <n>', 'runs of random removal to average', '10')
    .option('--random-seed <s>', 'seed of the random removal', '1')
    .option('--limit <n>', 'use only the first n examples')
    .option('--out <dir>', 'output folder', path.join('lstm-lrp-results', 'evaluate-methods'))
    .addOption(backendOption())
    .addOption(dtypeOption())
  return addMethodOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp evaluate-methods --data test.jsonl --methods lrp,gradient-x-input,occlusion\n  lstm-lrp evaluate-methods --model model.safetensors --data test.jsonl --methods lrp-all,lrp-prop --removal delete --max-removals 3',
    )
    .action(runEvaluateMethods)
}
