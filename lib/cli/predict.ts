/** `lstm-lrp predict`: the model's scores, probabilities and label per input, as JSON lines. */
import { Command, Option } from 'commander'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import type { Model } from '../model/model.js'
import type { Prediction, SequenceInput } from '../explain/types.js'
import type { FloatArray } from '../model/types.js'
import { tokenizeText } from '../text/vocabulary.js'
import { LstmLrpError } from '../errors.js'
import { batchItem } from './explain.js'
import { jsonLineChunks, OutputSink } from './jsonl.js'
import { UsageError } from './usage.js'

const LINES_PER_CHUNK = 512

interface PredictFlags {
  model?: string
  text?: string
  input?: string
  output?: string
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

/** One row of numbers for readout `last`, T rows for `each` (as explain writes scores). */
function shaped(values: FloatArray, model: Model): number[] | number[][] {
  const outputs = model.config.head.outputs
  if (model.config.head.readout === 'last') return Array.from(values)
  return Array.from({ length: values.length / outputs }, (_, r) => Array.from(values.subarray(r * outputs, (r + 1) * outputs)))
}

function predictionLine(model: Model, prediction: Prediction, extra: object): string {
  const labelName = prediction.label === null ? undefined : model.config.labels?.[prediction.label]
  return `${JSON.stringify({
    ...extra,
    scores: shaped(prediction.scores, model),
    probabilities: prediction.probabilities === null ? null : shaped(prediction.probabilities, model),
    label: prediction.label,
    ...(labelName !== undefined ? { labelName } : {}),
  })}\n`
}

function predictLine(model: Model, input: SequenceInput, line: number): Prediction {
  try {
    return model.predict(input)
  } catch (error) {
    if (!(error instanceof LstmLrpError)) throw error
    throw new LstmLrpError(error.code, `line ${line}: ${error.message}`)
  }
}

async function runPredict(flags: PredictFlags): Promise<void> {
  if (flags.text !== undefined && flags.input !== undefined) throw new UsageError('give --text or --input, not both')
  const model = await loadModel(flags.model ?? defaultModelPath(), { backend: flags.backend, dtype: flags.dtype })
  const sink = new OutputSink(flags.output)
  try {
    if (flags.text !== undefined) {
      const { tokens, ids, unknown } = tokenizeText(flags.text, model.config)
      await sink.write(predictionLine(model, model.predict({ tokens: ids }), { tokens, unknown }))
    } else {
      for await (const lines of jsonLineChunks(flags.input, LINES_PER_CHUNK)) {
        const text = lines.map((line) => {
          const id = (line.value as { id?: unknown }).id
          return predictionLine(model, predictLine(model, batchItem(line).input, line.line), id === undefined ? {} : { id })
        })
        await sink.write(text.join(''))
      }
    }
    await sink.commit()
  } catch (error) {
    await sink.abandon()
    throw error
  } finally {
    model.dispose()
  }
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('Predict: reads JSON lines like explain ({"x": [[...]]} or {"tokens": [...]}, optional "id"), writes {"scores", "probabilities", "label"} per line')
    .option('--model <file>', 'model file (default: the shipped SST sentiment model)')
    .option('--text <text>', "predict this text, tokenized with the model's tokenizer, instead of JSON lines")
    .option('--input <file>', 'JSON-lines input (default: stdin)')
    .option('--output <file>', 'JSON-lines output, written atomically (default: stdout)')
    .addOption(new Option('--backend <backend>', 'backend').choices(['auto', 'native', 'wasm']))
    .addOption(new Option('--dtype <dtype>', "compute dtype (default: the model file's)").choices(['f32', 'f64']))
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp predict --text "A gorgeous, witty film."\n  lstm-lrp predict --model examples/toy-addition.safetensors --input examples/toy-addition.jsonl',
    )
    .action(runPredict)
}
