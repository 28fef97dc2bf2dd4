/** `lstm-lrp predict`: the model's scores, probabilities and label per input (JSON lines, text, words or CSV rows), as JSON lines. */
import { Command } from 'commander'
import type { Model } from '../model/model.js'
import type { Prediction } from '../explain/types.js'
import { addInputOptions, runInputJob, type JobFlags } from './input-job.js'
import { at, echoedFields, trueClass, type InputRecord } from './input-records.js'
import { outputRows } from './json-rows.js'

/** A line with a "y" gets it back, and for one true class whether the prediction is it. */
function truth(model: Model, prediction: Prediction, record: InputRecord): { y?: unknown; correct?: boolean } {
  if (record.y === undefined) return {}
  const cls = trueClass(record, model.config)
  return cls === null ? { y: record.y } : { y: record.y, correct: prediction.label === cls }
}

function predictionLine(model: Model, prediction: Prediction, record: InputRecord): string {
  const labelName = prediction.label === null ? undefined : model.config.labels?.[prediction.label]
  return `${JSON.stringify({
    ...echoedFields(record),
    scores: outputRows(prediction.scores, model.config),
    probabilities: prediction.probabilities === null ? null : outputRows(prediction.probabilities, model.config),
    label: prediction.label,
    ...(labelName !== undefined ? { labelName } : {}),
    ...truth(model, prediction, record),
  })}\n`
}

async function runPredict(flags: JobFlags): Promise<void> {
  await runInputJob(flags, 'predicted', (model, sink) => ({
    async run(records, finished) {
      const lines = records.map((record, n) => {
        const line = predictionLine(model, at(record.where, () => model.predict(record.input)), record)
        finished(n + 1)
        return line
      })
      await sink.write(lines.join(''))
    },
    finish: async () => undefined,
  }))
}

export function predictCommand(): Command {
  return addInputOptions(
    new Command('predict').description(
      'Predict: reads inputs like explain (JSON lines {"x": [[...]]}, {"tokens": [...]} or {"text": "..."} with optional "id" and "y", text lines, CSV/TSV), writes {"scores", "probabilities", "label"} per input, and "y" and "correct" for lines with a "y"',
    ),
    'predict',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp predict --text "A gorgeous, witty film."\n  lstm-lrp predict --input reviews.txt   # one sentence a line' +
        '\n  lstm-lrp predict --model examples/toy-addition.safetensors --input examples/toy-addition.jsonl',
    )
    .action(runPredict)
}
