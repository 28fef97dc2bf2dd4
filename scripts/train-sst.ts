/**
 * `npm run train:sst`: trains the shipped default model (models/sst-bilstm.safetensors) and writes
 * its report (docs/results/sst-model.json). Flags override the committed settings, e.g. for tuning:
 *   npm run train:sst -- --epochs 4 --lr 0.003 --out /tmp/sst.safetensors --report /tmp/sst.json
 */
import { mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { saveModel } from '../lib/model/load.js'
import { defaultModelPath } from '../lib/model/default-model.js'
import { packageRoot } from '../lib/backend/package-root.js'
import { defaultSstDir } from '../lib/reproduce/sst/data.js'
import { SST_TRAIN_DEFAULTS, trainSstModel, type SstTrainSettings } from '../lib/reproduce/sst/train.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    'clip-norm': { type: 'string' },
    'weight-decay': { type: 'string' },
    patience: { type: 'string' },
    'min-count': { type: 'string' },
    'init-scale': { type: 'string' },
  },
})

function numberOr(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${flag} must be a number; got '${text}'`)
  return value
}

const settings: SstTrainSettings = {
  dataDir: values.data ?? defaultSstDir(),
  seed: numberOr(values.seed, SST_TRAIN_DEFAULTS.seed, 'seed'),
  epochs: numberOr(values.epochs, SST_TRAIN_DEFAULTS.epochs, 'epochs'),
  batchSize: numberOr(values['batch-size'], SST_TRAIN_DEFAULTS.batchSize, 'batch-size'),
  lr: numberOr(values.lr, SST_TRAIN_DEFAULTS.lr, 'lr'),
  clipNorm: numberOr(values['clip-norm'], SST_TRAIN_DEFAULTS.clipNorm, 'clip-norm'),
  weightDecay: numberOr(values['weight-decay'], SST_TRAIN_DEFAULTS.weightDecay, 'weight-decay'),
  patience: numberOr(values.patience, SST_TRAIN_DEFAULTS.patience, 'patience'),
  minCount: numberOr(values['min-count'], SST_TRAIN_DEFAULTS.minCount, 'min-count'),
  initScale: numberOr(values['init-scale'], SST_TRAIN_DEFAULTS.initScale, 'init-scale'),
}
const out = values.out ?? defaultModelPath()
const reportPath = values.report ?? path.join(packageRoot(), 'docs', 'results', 'sst-model.json')
const percent = (value: number) => `${(100 * value).toFixed(1)}%`

const result = await trainSstModel(settings, (progress) => {
  if (progress.validation !== undefined) console.log(`epoch ${progress.epoch}: training loss ${progress.loss.toFixed(4)}, dev accuracy ${percent(progress.validation.accuracy ?? 0)}`)
})
await mkdir(path.dirname(out), { recursive: true })
await saveModel(result.model, out)
const bytes = (await stat(out)).size
const summary = {
  settings: { ...settings, dataDir: undefined },
  vocabularySize: result.vocabularySize,
  trainingPhrases: result.trainingPhrases,
  epochs: result.report.epochs,
  keptEpoch: result.report.best?.epoch,
  seconds: Math.round(result.report.seconds),
  history: result.report.history.map(({ epoch, loss, validation }) => ({ epoch, loss, devAccuracy: validation?.accuracy })),
  dev: result.dev,
  test: result.test,
  fileBytes: bytes,
}
await mkdir(path.dirname(reportPath), { recursive: true })
await writeFile(reportPath, `${JSON.stringify(summary, null, 2)}\n`)
console.log(
  `test accuracy (full sentences): five-class ${percent(result.test.fiveClass)}, binary ${percent(result.test.binary)}; ` +
    `kept epoch ${summary.keptEpoch} of ${summary.epochs}, ${summary.seconds} s; ${out} (${(bytes / 1e6).toFixed(2)} MB)`,
)
result.model.dispose()
