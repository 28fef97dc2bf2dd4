/** `lstm-lrp explain`: one explanation per input (JSON lines, text, words or CSV rows), as JSON lines or a heatmap. */
import { Command, Option } from 'commander'
import type { Model } from '../model/model.js'
import type { BatchItem, ExplainOptions, Explanation, MethodName, Target } from '../explain/types.js'
import { METHOD_CODES } from '../backend/codes.js'
import { LstmLrpError } from '../errors.js'
import { addMethodOptions, checkMethodFlags, methodOptions, type MethodFlags } from './method-flags.js'
import { isStdin } from './input/lines.js'
import { addInputOptions, runInputJob, type JobFlags } from './input/job.js'
import { at, type InputRecord } from './input/records.js'
import { explanationObject } from './result-objects.js'
import { UsageError } from './usage.js'
import { checkClassFlags, classFlags, contrastName, contrastOf, recordTarget } from './class-flags.js'
import { defaultFormat, EXPLAIN_FORMATS, explanationWriter, type ExplainFormat } from './explain-output.js'
import { provenanceOf } from './explain-provenance.js'
import { defaultModelPath } from '../model/default-model.js'

interface ExplainFlags extends JobFlags, MethodFlags {
  format?: ExplainFormat
  method: string
  target?: string
  versus?: string
  targetFrom?: 'y'
  values?: boolean
}

/** Explains a chunk off the event loop; a failing batch is retried input by input to name the bad one. */
async function explainRecords(model: Model, records: InputRecord[], targets: (Target | undefined)[], options: ExplainOptions, finished: (count: number) => void): Promise<Explanation[]> {
  const items: BatchItem[] = records.map(({ input }, n) => (targets[n] === undefined ? { input } : { input, target: targets[n] }))
  try {
    return await model.explainBatch(items, options, { onProgress: ({ done }) => finished(done) })
  } catch (error) {
    if (!(error instanceof LstmLrpError)) throw error
    records.forEach(({ where, input }, n) => at(where, () => model.explain(input, targets[n] === undefined ? options : { ...options, target: targets[n] })))
    throw error
  }
}

async function runExplain(flags: ExplainFlags, command: Command): Promise<void> {
  checkMethodFlags(flags.method as MethodName, command)
  checkClassFlags(flags)
  const format = flags.format ?? defaultFormat(flags.output)
  if (flags.values === true && format !== 'terminal') throw new UsageError(`--values applies to --format terminal, not to --format ${format}`)
  const flagOptions: ExplainOptions = { method: flags.method as MethodName, ...methodOptions(flags) }
  await runInputJob(flags, 'explained', (model, sink) => {
    const options = { ...flagOptions, ...classFlags(flags, model.config) }
    const provenance = provenanceOf(flagOptions, flags.model ?? defaultModelPath(), model.config)
    const toTerminal = isStdin(flags.output) && process.stdout.isTTY === true
    const writer = explanationWriter(format, sink, model.config, { toTerminal, values: flags.values, provenance })
    return {
      async run(records, finished) {
        const targets = records.map((record) => recordTarget(record, flags) ?? options.target)
        const explanations = await explainRecords(model, records, targets, options, finished)
        await writer.write(
          explanations.map((explanation, n) => {
            const record = records[n]
            const contrast = contrastOf(targets[n], options.versus)
            const json = `${JSON.stringify(explanationObject(model, explanation, record, contrast, provenance))}\n`
            const targetLabel = contrast === null ? undefined : contrastName(contrast, model.config.labels)
            const words = record.words
            return { json, explanation, input: record.input, id: record.id, tokens: words?.tokens, unknown: words?.unknown, targetLabel }
          }),
        )
      },
      finish: () => writer.finish(),
    }
  })
}

export function explainCommand(): Command {
  const command = addInputOptions(
    new Command('explain').description(
      'Explain predictions: reads JSON lines ({"x": [[...]]}, {"tokens": [...]} or {"text": "..."}; optional "target", "id", "y"), text lines, or CSV/TSV time series; writes one explanation per input',
    ),
    'explain',
  )
    .addOption(
      new Option('--format <format>', 'jsonl (the full explanation), terminal (coloured heatmap), html, svg or csv (relevance per token, or per step and feature) (default: terminal on a TTY, else jsonl)').choices([
        ...EXPLAIN_FORMATS,
      ]),
    )
    .option('--values', "--format terminal: each token's relevance beside it, coloured as the token")
    .addOption(new Option('--method <method>', 'explanation method').choices(Object.keys(METHOD_CODES)).default('lrp'))
  return addMethodOptions(command)
    .option('--target <class>', 'class to explain, by index or label name (default: argmax of the scores; a line\'s "target" overrides)')
    .option('--versus <class>', 'explain the target class rather than this one: target weights +1 and -1 (needs a target)')
    .addOption(new Option('--target-from <key>', 'explain the class each line\'s "y" names (the training format\'s true label)').choices(['y']))
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp explain --text "A gorgeous, witty film."\n  echo \'{"x": [[0.5, -1], [1, 0]]}\' | lstm-lrp explain --model examples/toy-addition.safetensors' +
        '\n  lstm-lrp explain --input reviews.txt --format html --output reviews.html   # one sentence a line' +
        '\n  lstm-lrp explain --tokens "not,a,bad,film"' +
        '\n  lstm-lrp explain --text "Not a bad film." --target positive --versus negative' +
        '\n  lstm-lrp explain --model examples/toy-addition.safetensors --input series.csv --columns value,marker' +
        '\n  lstm-lrp explain --text "Not a bad film, really." --format html --output heatmap.html' +
        '\n  lstm-lrp explain --model examples/toy-addition.safetensors --input examples/toy-addition.jsonl --format svg > toy.svg',
    )
    .action(runExplain)
}
