/** `lstm-lrp explain`: JSON lines in, one explanation per line out. */
import { Command, Option } from 'commander'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import { tokenizeText } from '../text/vocabulary.js'
import type { Model } from '../model/model.js'
import type { BatchItem, CdConvention, ExplainOptions, Explanation, IntegrationRule, Product, RuleName, Target } from '../explain/types.js'
import type { FloatArray } from '../model/types.js'
import { DEFAULT_INTEGRATION_STEPS } from '../explain/options.js'
import { LstmLrpError } from '../errors.js'
import { jsonLineChunks, OutputSink, type NumberedLine } from './jsonl.js'
import { UsageError } from './usage.js'
import { defaultFormat, EXPLAIN_FORMATS, explanationWriter, type ExplainedInput, type ExplainFormat } from './explain-output.js'

const LINES_PER_BATCH = 512
const LINE_KEYS = ['x', 'tokens', 'target', 'id']

interface ExplainFlags {
  model?: string
  text?: string
  input?: string
  output?: string
  format?: ExplainFormat
  method: string
  rule: string
  rules?: string
  eps: string
  productEps?: string
  biasFactor: string
  init: string
  target?: string
  occlusionScore: string
  occlusionReplacement: string
  cdConvention: string
  cdPhrase?: string
  steps: string
  igRule: string
  backend?: string
  dtype?: string
}

function numberFlag(value: string, flag: string): number {
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${flag} must be a number; got '${value}'`)
  return number
}

function parseRules(text: string): Partial<Record<Product, RuleName>> {
  const rules: Partial<Record<Product, RuleName>> = {}
  for (const part of text.split(',')) {
    const [product, rule, extra] = part.split('=').map((piece) => piece.trim())
    if (rule === undefined || extra !== undefined || !['input', 'forget', 'output'].includes(product))
      throw new UsageError(`--rules takes input=R,forget=R,output=R; got '${text}'`)
    rules[product as Product] = rule as RuleName
  }
  return rules
}

function parsePhrase(text: string): [number, number] {
  const bounds = text.split(',').map((piece) => piece.trim())
  if (bounds.length !== 2 || !bounds.every((bound) => /^\d+$/.test(bound))) throw new UsageError(`--cd-phrase takes START,STOP; got '${text}'`)
  return [Number(bounds[0]), Number(bounds[1])]
}

function explainOptions(flags: ExplainFlags): ExplainOptions {
  const eps = numberFlag(flags.eps, '--eps')
  let target: Target | undefined
  if (flags.target !== undefined) target = numberFlag(flags.target, '--target')
  return {
    method: flags.method as ExplainOptions['method'],
    rule: flags.rule as RuleName,
    ...(flags.rules !== undefined ? { rules: parseRules(flags.rules) } : {}),
    eps,
    productEps: flags.productEps !== undefined ? numberFlag(flags.productEps, '--product-eps') : eps,
    biasFactor: numberFlag(flags.biasFactor, '--bias-factor'),
    init: flags.init as ExplainOptions['init'],
    target,
    occlusion: {
      score: flags.occlusionScore as 'logit' | 'prob',
      replacement: flags.occlusionReplacement as 'zero' | 'delete',
    },
    cd: {
      convention: flags.cdConvention as CdConvention,
      ...(flags.cdPhrase !== undefined ? { phrase: parsePhrase(flags.cdPhrase) } : {}),
    },
    integratedGradients: { steps: numberFlag(flags.steps, '--steps'), rule: flags.igRule as IntegrationRule },
  }
}

export function batchItem({ line, value }: NumberedLine): BatchItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`line ${line}: expected an object {"x": [[...]]} or {"tokens": [...]}`)
  const record = value as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !LINE_KEYS.includes(key))
  if (unknown.length > 0) throw new UsageError(`line ${line}: unknown key '${unknown[0]}' (expected x or tokens, and optionally target, id)`)
  if (('x' in record) === ('tokens' in record)) throw new UsageError(`line ${line}: give exactly one of "x" and "tokens"`)
  const input = 'x' in record ? (record.x as number[][]) : { tokens: record.tokens as number[] }
  return record.target === undefined ? { input } : { input, target: record.target as Target }
}

function rows(values: FloatArray, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)))
}

function outputLine(model: Model, explanation: Explanation, id: unknown, text?: object): string {
  const outputs = model.config.head.outputs
  const scores = model.config.head.readout === 'last' ? Array.from(explanation.scores) : rows(explanation.scores, outputs)
  return `${JSON.stringify({
    ...(id !== undefined ? { id } : {}),
    ...text,
    scores,
    target: explanation.target,
    relevance: rows(explanation.relevance, explanation.features),
    perStep: Array.from(explanation.perStep),
    conservation: explanation.conservation,
    ...(explanation.decomposition !== null ? { decomposition: explanation.decomposition } : {}),
    ...(explanation.completeness !== null ? { completeness: explanation.completeness } : {}),
  })}\n`
}

/** Explains a chunk of lines; a failing batch is retried line by line to name the bad line. */
async function explainLines(model: Model, lines: NumberedLine[], options: ExplainOptions): Promise<Explanation[]> {
  const items = lines.map(batchItem)
  try {
    return await model.explainBatch(items, options)
  } catch (error) {
    if (!(error instanceof LstmLrpError)) throw error
    for (const [n, item] of items.entries()) {
      try {
        model.explain(item.input, item.target === undefined ? options : { ...options, target: item.target })
      } catch (lineError) {
        throw new LstmLrpError((lineError as LstmLrpError).code ?? 'E_INPUT', `line ${lines[n].line}: ${(lineError as Error).message}`)
      }
    }
    throw error
  }
}

/** --text: tokenized with the model's tokenizer; the output names the tokens, the unknown ones and the target's label. */
function explainText(model: Model, text: string, options: ExplainOptions): ExplainedInput {
  const { tokens, ids, unknown } = tokenizeText(text, model.config)
  const input = { tokens: ids }
  const explanation = model.explain(input, options)
  const label = typeof explanation.target === 'number' ? model.config.labels?.[explanation.target] : undefined
  return { json: outputLine(model, explanation, undefined, { tokens, unknown, ...(label !== undefined ? { label } : {}) }), explanation, input, tokens }
}

async function runExplain(flags: ExplainFlags): Promise<void> {
  const options = explainOptions(flags)
  if (flags.text !== undefined && flags.input !== undefined) throw new UsageError('give --text or --input, not both')
  const dtype = flags.dtype as 'f32' | 'f64' | undefined
  const model = await loadModel(flags.model ?? defaultModelPath(), { backend: flags.backend as 'auto' | 'native' | 'wasm' | undefined, dtype })
  const sink = new OutputSink(flags.output)
  const toTerminal = (flags.output === undefined || flags.output === '-') && process.stdout.isTTY
  const writer = explanationWriter(flags.format ?? defaultFormat(flags.output), sink, model.config, toTerminal)
  try {
    if (flags.text !== undefined) {
      await writer.write([explainText(model, flags.text, options)])
    } else {
      for await (const lines of jsonLineChunks(flags.input, LINES_PER_BATCH)) {
        const explanations = await explainLines(model, lines, options)
        await writer.write(
          explanations.map((explanation, n) => {
            const id = (lines[n].value as { id?: unknown }).id
            return { json: outputLine(model, explanation, id), explanation, input: batchItem(lines[n]).input, id }
          }),
        )
      }
    }
    await writer.finish()
    await sink.commit()
  } catch (error) {
    await sink.abandon()
    throw error
  } finally {
    model.dispose()
  }
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('Explain predictions: reads JSON lines {"x": [[...]]} or {"tokens": [...]} (optional "target", "id"), writes one JSON line per input')
    .option('--model <file>', 'model file (lstm-lrp safetensors; default: the shipped SST sentiment model)')
    .option('--text <text>', "explain this text, tokenized with the model's tokenizer, instead of JSON lines")
    .option('--input <file>', 'JSON-lines input (default: stdin)')
    .option('--output <file>', 'output file, written atomically (default: stdout)')
    .addOption(
      new Option('--format <format>', 'jsonl (the full explanation), terminal (coloured heatmap), html, svg or csv (relevance per step) (default: terminal on a TTY, else jsonl)').choices([
        ...EXPLAIN_FORMATS,
      ]),
    )
    .addOption(
      new Option('--method <method>', 'explanation method')
        .choices(['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients'])
        .default('lrp'),
    )
    .addOption(new Option('--rule <rule>', 'LRP rule for all gated products').choices(['all', 'prop', 'abs', 'half']).default('all'))
    .option('--rules <rules>', 'per-product LRP rules: input=R,forget=R,output=R')
    .option('--eps <eps>', 'epsilon-rule stabiliser', '0.001')
    .option('--product-eps <eps>', 'stabiliser of the prop/abs product rules (default: --eps)')
    .option('--bias-factor <b>', 'share of bias/stabiliser relevance spread to the inputs, in [0, 1]', '0')
    .addOption(new Option('--init <init>', 'initial relevance').choices(['logit', 'one']).default('logit'))
    .option('--target <k>', 'class to explain (default: argmax of the scores; a line\'s "target" overrides)')
    .addOption(new Option('--occlusion-score <score>', 'occlusion score').choices(['logit', 'prob']).default('logit'))
    .addOption(new Option('--occlusion-replacement <r>', 'occlusion replacement').choices(['zero', 'delete']).default('zero'))
    .addOption(new Option('--cd-convention <c>', 'CD: steps whose bias × bias term is relevant').choices(['reference', 'inclusive']).default('reference'))
    .option('--cd-phrase <start,stop>', 'CD: one decomposition of the phrase [start, stop) (default: one per step)')
    .option('--steps <m>', 'integrated gradients: points on the path from the zero baseline', String(DEFAULT_INTEGRATION_STEPS))
    .addOption(new Option('--ig-rule <rule>', 'integrated gradients: quadrature').choices(['midpoint', 'gauss-legendre']).default('midpoint'))
    .addOption(new Option('--backend <backend>', 'backend').choices(['auto', 'native', 'wasm']))
    .addOption(new Option('--dtype <dtype>', 'compute dtype (default: the model file\'s)').choices(['f32', 'f64']))
    .addHelpText(
      'after',
      '\nExamples:\n  lstm-lrp explain --text "A gorgeous, witty film."\n  echo \'{"x": [[0.5, -1], [1, 0]]}\' | lstm-lrp explain --model examples/toy-addition.safetensors' +
        '\n  lstm-lrp explain --text "Not a bad film, really." --format html --output heatmap.html' +
        '\n  lstm-lrp explain --model examples/toy-addition.safetensors --input examples/toy-addition.jsonl --format svg > toy.svg',
    )
    .action(runExplain)
}
