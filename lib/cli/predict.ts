/** `lstm-lrp predict`: the model's scores, probabilities and label per input (JSON lines, text, words or CSV rows), as JSON lines. */
import { Command } from 'commander'
import { addInputOptions, runInputJob, type JobFlags } from './input/job.js'
import { at } from './input/records.js'
import { predictionObject } from './result-objects.js'

async function runPredict(flags: JobFlags): Promise<void> {
  await runInputJob(flags, 'predicted', (model, sink) => ({
    async run(records, finished) {
      const lines = records.map((record, n) => {
        const line = `${JSON.stringify(
          predictionObject(
            model,
            at(record.where, () => model.predict(record.input)),
            record,
          ),
        )}\n`
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
