/** `lstm-lrp info`: what a model file holds (architecture, parameters, labels, tokenizer) and where it runs. */
import { Command } from 'commander'
import { backendOption, modelOption } from './model-flags.js'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import type { Model } from '../model/model.js'
import { describeBackend, untriedBackends } from '../backend/registry.js'
import { summary } from './convert.js'

interface InfoFlags {
  model?: string
  json?: boolean
  backend?: 'auto' | 'native' | 'wasm'
}

interface ModelInfo {
  file: string
  architecture: string
  task: string
  parameters: number
  dtype: string
  labels: string[] | null
  tokenizer: { words: number; lowercase: boolean } | null
  backend: Model['backend']
}

/** The model's backend, and why each one before it in the order of preference was skipped: not tried, or failed to load (nothing is loaded again). */
function backendOf(model: Model, choice: InfoFlags['backend']): Model['backend'] {
  const skipped = [...untriedBackends(choice, '--backend'), ...(describeBackend(choice).skipped ?? [])]
  return skipped.length === 0 ? model.backend : { ...model.backend, skipped }
}

function describe(file: string, model: Model, choice: InfoFlags['backend']): ModelInfo {
  const { config } = model
  let parameters = 0
  for (const tensor of model.weights.values()) parameters += tensor.shape.reduce((product, size) => product * size, 1)
  return {
    file,
    architecture: summary(config),
    task: config.task,
    parameters,
    dtype: model.dtype,
    labels: config.labels ?? null,
    tokenizer: config.tokenizer ? { words: config.tokenizer.vocab.length, lowercase: config.tokenizer.lowercase } : null,
    backend: backendOf(model, choice),
  }
}

function table(info: ModelInfo): string {
  const backend = `${info.backend.backend} (${info.backend.simd}, ${info.backend.threads} thread${info.backend.threads === 1 ? '' : 's'})`
  const rows: [string, string][] = [
    ['model', info.file],
    ['architecture', info.architecture],
    ['parameters', `${info.parameters.toLocaleString('en-US')} (${info.dtype})`],
    ['labels', info.labels === null ? 'none' : info.labels.join(', ')],
    ['tokenizer', info.tokenizer === null ? 'none' : `${info.tokenizer.words.toLocaleString('en-US')} words${info.tokenizer.lowercase ? ', lowercased' : ''}`],
    ['backend', backend],
    ...(info.backend.skipped ?? []).map((reason): [string, string] => ['skipped', reason]),
  ]
  const width = rows.reduce((widest, [key]) => Math.max(widest, key.length), 0)
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}\n`).join('')
}

async function runInfo(flags: InfoFlags): Promise<void> {
  const file = flags.model ?? defaultModelPath()
  const model = await loadModel(file, { backend: flags.backend })
  try {
    const info = describe(file, model, flags.backend)
    process.stdout.write(flags.json ? `${JSON.stringify(info)}\n` : table(info))
  } finally {
    model.dispose()
  }
}

export function infoCommand(): Command {
  return new Command('info')
    .description('Describe a model: architecture, parameter count, labels, tokenizer, and the backend it runs on')
    .addOption(modelOption())
    .option('--json', 'one JSON object instead of a table')
    .addOption(backendOption())
    .addHelpText('after', '\nExamples:\n  lstm-lrp info\n  lstm-lrp info --model examples/toy-addition.safetensors --json')
    .action(runInfo)
}
