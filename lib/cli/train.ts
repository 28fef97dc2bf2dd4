/** `lstm-lrp train`: a new model from a config, trained on JSON lines, saved as a model file. */
import { readFile } from 'node:fs/promises'
import { Command, Option } from 'commander'
import { backendOption, dtypeOption } from './model-flags.js'
import { createModel, saveModel } from '../model/load.js'
import type { TrainOptions, TrainProgress } from '../train/types.js'
import { defaultLoss } from '../train/options.js'
import { excerpt } from '../describe-value.js'
import { labelledItems, readDataLines } from './input/labelled-data.js'
import { vocabularyOf, withVocabulary, type VocabularySettings } from './build-vocabulary.js'
import { integerFlag, numberFlag } from './number-flags.js'
import { progressLine } from './progress.js'
import { UsageError } from './usage.js'
import { checkDestination } from './destination.js'

interface TrainFlags {
  config: string
  data: string
  validation?: string
  out: string
  epochs: string
  batchSize: string
  lr: string
  seed: string
  loss?: 'mse' | 'cross-entropy'
  optimizer: 'adam' | 'adagrad'
  clipNorm: string
  weightDecay: string
  patience?: string
  dtype: 'f32' | 'f64'
  backend?: 'auto' | 'native' | 'wasm'
  buildVocabulary?: boolean
  minCount?: string
  lowercase?: boolean
}

async function readConfig(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read config ${path}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`config ${path} is not valid JSON: ${excerpt((error as Error).message, 160)}`)
  }
}

/** --build-vocabulary's settings; --min-count and --lowercase mean nothing without it. */
function vocabularySettings(flags: TrainFlags): VocabularySettings | null {
  if (!flags.buildVocabulary) {
    const stray = flags.minCount !== undefined ? '--min-count' : flags.lowercase ? '--lowercase' : undefined
    if (stray !== undefined) throw new UsageError(`${stray} applies to --build-vocabulary`)
    return null
  }
  return { minCount: flags.minCount === undefined ? 1 : integerFlag(flags.minCount, '--min-count', 1), lowercase: flags.lowercase === true }
}

function describe(progress: TrainProgress): string {
  const validation = progress.validation
    ? ` · validation loss ${progress.validation.loss.toPrecision(4)}${progress.validation.accuracy === undefined ? '' : ` accuracy ${(100 * progress.validation.accuracy).toFixed(1)}%`}`
    : ''
  return `epoch ${progress.epoch}/${progress.epochs} · batch ${progress.batch}/${progress.batches} · loss ${progress.loss.toPrecision(4)}${validation}`
}

async function runTrain(flags: TrainFlags): Promise<void> {
  if (flags.patience !== undefined && flags.validation === undefined) throw new UsageError('--patience counts epochs without a better validation loss: it needs --validation')
  const seed = integerFlag(flags.seed, '--seed')
  const settings = {
    epochs: integerFlag(flags.epochs, '--epochs'),
    batchSize: integerFlag(flags.batchSize, '--batch-size'),
    lr: numberFlag(flags.lr, '--lr'),
    seed,
    optimizer: flags.optimizer,
    clipNorm: numberFlag(flags.clipNorm, '--clip-norm'),
    weightDecay: numberFlag(flags.weightDecay, '--weight-decay'),
    ...(flags.loss !== undefined ? { loss: flags.loss } : {}),
    ...(flags.patience !== undefined ? { patience: integerFlag(flags.patience, '--patience') } : {}),
  }
  await checkDestination(flags.out)
  const vocabulary = vocabularySettings(flags)
  const trainLines = await readDataLines(flags.data)
  const validationLines = flags.validation === undefined ? undefined : await readDataLines(flags.validation)
  const given = await readConfig(flags.config)
  const config = vocabulary === null ? given : withVocabulary(given, vocabularyOf(trainLines, flags.data, vocabulary))
  const model = await createModel(config, { seed, dtype: flags.dtype, backend: flags.backend })
  const progress = progressLine()
  try {
    const loss = flags.loss ?? defaultLoss(model.config)
    const data = labelledItems(flags.data, trainLines, model, loss)
    const validation = validationLines === undefined ? undefined : labelledItems(flags.validation as string, validationLines, model, loss)
    if (vocabulary !== null) process.stderr.write(`vocabulary: ${model.config.tokenizer!.vocab.length} words (with <unk>) from ${flags.data}\n`)
    const options: TrainOptions = {
      ...settings,
      ...(validation !== undefined ? { validation } : {}),
      onProgress: (step) => {
        progress.update(((step.epoch - 1) * step.batches + step.batch) / (step.epochs * step.batches), describe(step))
        if (step.batch === step.batches && (step.validation !== undefined || validation === undefined)) progress.log(describe(step))
      },
    }
    const report = await model.train(data, options)
    progress.done()
    await saveModel(model, flags.out)
    const best = report.best ? `, kept epoch ${report.best.epoch}` : ''
    process.stderr.write(`trained ${report.epochs} epochs in ${report.seconds.toFixed(1)} s${best}; saved ${flags.out}\n`)
  } finally {
    progress.done()
    model.dispose()
  }
}

export function trainCommand(): Command {
  return new Command('train')
    .description('Train a new model: data lines {"x": [[...]], "y": ...}, {"tokens": [ids or words], "y": ...} or {"text": "...", "y": ...}; "y" may be a label name')
    .requiredOption('--config <file>', 'architecture JSON (the "config" of the model format)')
    .requiredOption('--data <file>', 'training data, JSON lines')
    .option('--validation <file>', 'validation data, JSON lines (keeps the best epoch)')
    .requiredOption('--out <file>', 'model file to write')
    .option('--epochs <n>', 'epochs', '10')
    .option('--batch-size <b>', 'mini-batch size', '32')
    .option('--lr <rate>', 'learning rate', '0.001')
    .option('--seed <s>', 'seed of the initial weights and the shuffling', '0')
    .addOption(new Option('--loss <loss>', 'loss (default: by task)').choices(['mse', 'cross-entropy']))
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(['adam', 'adagrad']).default('adam'))
    .option('--clip-norm <n>', 'clip the global gradient norm (0: off)', '0')
    .option('--weight-decay <w>', 'L2 weight decay', '0')
    .option('--patience <n>', 'stop after n epochs without a better validation loss')
    .addOption(dtypeOption('weights dtype').default('f32'))
    .addOption(backendOption())
    .option('--build-vocabulary', "build the tokenizer's vocabulary from the data's text and words (<unk> first) and size the embedding to it")
    .option('--min-count <n>', '--build-vocabulary: keep words seen at least n times (default 1)')
    .option('--lowercase', '--build-vocabulary: lowercase every word (the tokenizer then lowercases its inputs too)')
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp train --config config.json --data train.jsonl --validation dev.jsonl --out model.safetensors --epochs 20' +
        '\n  lstm-lrp train --config config.json --data reviews.jsonl --build-vocabulary --min-count 2 --lowercase --out model.safetensors',
    )
    .action(runTrain)
}
