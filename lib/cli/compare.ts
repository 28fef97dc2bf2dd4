/** `lstm-lrp compare`: several methods on the same inputs, on one colour scale, with deletion curves, AOPC and a ranking. */
import path from 'node:path'
import { Command, Option } from 'commander'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import type { ModelConfig } from '../model/types.js'
import { backendOption, dtypeOption, modelOption } from './model-flags.js'
import { integerFlag } from './number-flags.js'
import { cannotWrite, checkOutputFolder } from './destination.js'
import { openInputSource } from './input/source.js'
import { textRecord, type InputRecord } from './input/records.js'
import { UsageError } from './usage.js'
import { comparableMethodNames, parseMethods, withMethodFlags } from './method-list.js'
import { addMethodOptions, type MethodFlags } from './method-flags.js'
import { REMOVALS, type Removal } from '../compare/removal.js'
import { runComparison, type Comparison, type ComparisonInput } from '../compare/comparison.js'
import { comparisonHtml } from '../compare/page.js'
import { comparisonSvg } from '../compare/figure.js'
import { compactJson, writeExperiment } from '../reproduce/output.js'

interface CompareFlags extends MethodFlags {
  model?: string
  text: string[]
  input?: string
  lowercase?: boolean
  methods: string
  removal: Removal
  maxRemovals?: string
  out: string
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

async function readRecords(flags: CompareFlags, config: ModelConfig): Promise<InputRecord[]> {
  const settings = { config, lowercase: flags.lowercase === true }
  if (flags.input === undefined) return flags.text.map((text, n) => textRecord(flags.text.length === 1 ? '--text' : `--text ${n + 1}`, text, 0, settings))
  const records: InputRecord[] = []
  const source = await openInputSource({ input: flags.input, inputFormat: 'auto', lowercase: flags.lowercase }, config, (line) => process.stderr.write(`${line}\n`))
  for await (const chunk of source.chunks) records.push(...chunk)
  if (records.length === 0) throw new UsageError(`${flags.input} holds no inputs`)
  return records
}

function comparisonInput(record: InputRecord): ComparisonInput {
  if (record.target !== undefined) throw new UsageError(`${record.where}: compare explains the predicted class; remove the line's "target"`)
  return { where: record.id === undefined ? record.where : `${record.where} (id ${String(record.id)})`, input: record.input, tokens: record.words?.tokens }
}

export function rankingTable(comparison: Comparison): string {
  const width = Math.max(6, ...comparison.ranking.map(({ method }) => method.length))
  const lines = [`${'rank'.padEnd(6)}${'method'.padEnd(width + 2)}mean AOPC`]
  comparison.ranking.forEach(({ method, meanAopc }, n) => lines.push(`${String(n + 1).padEnd(6)}${method.padEnd(width + 2)}${meanAopc.toPrecision(4).padStart(9)}`))
  return `${lines.join('\n')}\n`
}

async function runCompare(flags: CompareFlags, command: Command): Promise<void> {
  const methods = withMethodFlags(parseMethods(flags.methods), flags, command)
  if (flags.text.length > 0 === (flags.input !== undefined)) throw new UsageError('give the inputs with --text (once per input) or with --input FILE')
  const maxRemovals = flags.maxRemovals === undefined ? null : integerFlag(flags.maxRemovals, '--max-removals', 1)
  await checkOutputFolder(flags.out)
  const modelFile = flags.model ?? defaultModelPath()
  const model = await loadModel(modelFile, { backend: flags.backend, dtype: flags.dtype })
  try {
    const inputs = (await readRecords(flags, model.config)).map(comparisonInput)
    const comparison = await runComparison(model, inputs, methods, { removal: flags.removal, maxRemovals })
    const title = `lstm-lrp compare: ${methods.map(({ name }) => name).join(', ')} on ${path.basename(modelFile)}`
    const table = rankingTable(comparison)
    process.stdout.write(table)
    const files = { 'compare.html': comparisonHtml(comparison, title), 'compare.svg': comparisonSvg(comparison), 'compare.json': compactJson({ model: path.basename(modelFile), ...comparison }) }
    const written = await cannotWrite(flags.out, () => writeExperiment(flags.out, files))
    process.stderr.write(`wrote ${written.join(', ')}\n`)
  } finally {
    model.dispose()
  }
}

export function compareCommand(): Command {
  const command = new Command('compare')
    .description('Compare explanation methods on the same inputs: heatmaps on one colour scale, deletion curves, AOPC and a ranking by mean AOPC (an HTML page, an SVG and JSON)')
    .requiredOption('--methods <list>', `methods separated by commas: ${comparableMethodNames().join(', ')}`)
    .addOption(modelOption())
    .option('--text <text>', "an input text, tokenized with the model's tokenizer (repeat for several inputs)", collect, [])
    .option('--input <file>', 'inputs as JSON lines or text lines, one input a line (- for stdin)')
    .option('--lowercase', "lowercase text before the vocabulary lookup, even if the model's tokenizer keeps case")
    .addOption(new Option('--removal <how>', 'how the deletion curves remove a step: set its vector to zero (as occlusion does), or delete it').choices([...REMOVALS]).default('zero'))
    .option('--max-removals <k>', 'remove at most k steps per input (default: every step)')
    .option('--out <dir>', 'output folder', path.join('lstm-lrp-results', 'compare'))
    .addOption(backendOption())
    .addOption(dtypeOption())
  return addMethodOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp compare --methods lrp,gradient-x-input,occlusion --text "A gorgeous, witty film." --text "Not a bad film."' +
        '\n  lstm-lrp compare --methods lrp-all,lrp-prop,occlusion-p-diff --input reviews.txt --out comparison',
    )
    .action(runCompare)
}
