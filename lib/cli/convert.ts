/** `lstm-lrp convert`: a PyTorch, Keras, TF.js or ONNX model to an lstm-lrp model file. */
import { Command, Option } from 'commander'
import { importModel } from '../io/import-file.js'
import { readRegularFile } from '../io/read-regular-file.js'
import { IMPORT_FORMATS, type ImportFormat } from '../io/types.js'
import { isGruCell } from '../model/config.js'
import { writeModelFile } from '../model/tensors.js'
import { writeAtomically } from '../model/write-atomically.js'
import type { ModelConfig } from '../model/types.js'
import { excerpt } from '../describe-value.js'
import { numberFlag } from './number-flags.js'
import { UsageError } from './usage.js'
import { cannotWrite, checkDestination } from './destination.js'

interface ConvertFlags {
  from: ImportFormat
  configHint?: string
  out: string
  timeout?: string
}

/** A hint file holds a tokenizer's vocabulary at most. */
const MAX_HINT_BYTES = 64 << 20

/** --config-hint takes JSON, or @FILE for a JSON file (a tokenizer vocabulary is long). */
async function readHint(text: string | undefined): Promise<unknown> {
  if (text === undefined) return undefined
  let json = text
  if (text.startsWith('@')) {
    try {
      json = new TextDecoder().decode(await readRegularFile(text.slice(1), { maxBytes: MAX_HINT_BYTES }))
    } catch (error) {
      throw new UsageError(`--config-hint: cannot read ${text.slice(1)}: ${(error as Error).message}`)
    }
  }
  try {
    return JSON.parse(json)
  } catch (error) {
    throw new UsageError(`--config-hint must be JSON or @FILE: ${excerpt((error as Error).message, 160)}`)
  }
}

export function summary(config: ModelConfig): string {
  const layers = config.layers.map(({ bidirectional, hiddenSize, cell }) => {
    const prefix = bidirectional ? 'bi-' : ''
    if (isGruCell(cell)) return `${prefix}GRU(${hiddenSize}${cell.resetAfter ? '' : ', reset before'})`
    return `${prefix}LSTM(${hiddenSize}${cell.preset === 'standard' && cell.g === 'tanh' && cell.h === 'tanh' ? '' : `, g=${cell.g}, h=${cell.h}`})`
  })
  const input = config.embedding ? `Embedding(${config.embedding.vocabSize}, ${config.inputSize})` : `input ${config.inputSize}`
  return `${[input, ...layers, `Linear(${config.head.outputs}${config.head.bias ? '' : ', no bias'}, readout ${config.head.readout})`].join(' → ')}, ${config.task}`
}

async function runConvert(input: string, flags: ConvertFlags): Promise<void> {
  await checkDestination(flags.out)
  const timeout = flags.timeout === undefined ? undefined : numberFlag(flags.timeout, '--timeout')
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds; got ${timeout}`)
  const imported = await importModel(input, flags.from, await readHint(flags.configHint), { timeout })
  const bytes = writeModelFile(imported.config, imported.tensors)
  await cannotWrite(flags.out, () => writeAtomically(flags.out, bytes))
  for (const note of imported.notes) process.stderr.write(`note: ${note}\n`)
  process.stderr.write(`wrote ${flags.out}: ${summary(imported.config)}\n`)
}

export function convertCommand(): Command {
  return new Command('convert')
    .description('Convert a PyTorch state_dict (safetensors), Keras 3 .keras, TF.js layers model or ONNX graph into an lstm-lrp model file')
    .argument('<in>', 'the model: .safetensors, .keras, model.json (shards beside it) or .onnx')
    .addOption(new Option('--from <format>', 'the input format').choices([...IMPORT_FORMATS]).makeOptionMandatory())
    .option('--config-hint <json>', 'what the file cannot say, as JSON or @FILE: {"task", "labels", "tokenizer", "readout", "names": {"lstm", "embedding", "head"}}')
    .option('--timeout <seconds>', "how long reading a .keras file's HDF5 weights may take before the import fails (default 30)")
    .requiredOption('--out <file>', 'the lstm-lrp model file to write (atomically)')
    .addHelpText('after', '\nExample:\n  lstm-lrp convert --from pytorch classifier.safetensors --config-hint \'{"labels": ["neg", "pos"]}\' --out model.safetensors')
    .action(runConvert)
}
