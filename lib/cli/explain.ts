/** `lstm-lrp explain`: JSON lines in, one explanation per line out. */
import { Command, Option } from 'commander'
import { loadModel } from '../model/load.js'
import type { Model } from '../model/model.js'
import type { BatchItem, ExplainOptions, Explanation, Product, RuleName, Target } from '../explain/types.js'
import type { FloatArray } from '../model/types.js'
import { LstmLrpError } from '../errors.js'
import { jsonLineChunks, OutputSink, type NumberedLine } from './jsonl.js'
import { UsageError } from './usage.js'

const LINES_PER_BATCH = 512
const LINE_KEYS = ['x', 'tokens', 'target', 'id']

interface ExplainFlags {
  model: string
  input?: string
  output?: string
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
  }
}

function batchItem({ line, value }: NumberedLine): BatchItem {
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

function outputLine(model: Model, explanation: Explanation, id: unknown): string {
  const outputs = model.config.head.outputs
  const scores = model.config.head.readout === 'last' ? Array.from(explanation.scores) : rows(explanation.scores, outputs)
  return `${JSON.stringify({
    ...(id !== undefined ? { id } : {}),
    scores,
    target: explanation.target,
    relevance: rows(explanation.relevance, explanation.features),
    perStep: Array.from(explanation.perStep),
    conservation: explanation.conservation,
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

async function runExplain(flags: ExplainFlags): Promise<void> {
  const options = explainOptions(flags)
  const dtype = flags.dtype as 'f32' | 'f64' | undefined
  const model = await loadModel(flags.model, { backend: flags.backend as 'auto' | 'native' | 'wasm' | undefined, dtype })
  const sink = new OutputSink(flags.output)
  try {
    for await (const lines of jsonLineChunks(flags.input, LINES_PER_BATCH)) {
      const explanations = await explainLines(model, lines, options)
      const text = explanations.map((explanation, n) => outputLine(model, explanation, (lines[n].value as { id?: unknown }).id)).join('')
      await sink.write(text)
    }
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
    .requiredOption('--model <file>', 'model file (lstm-lrp safetensors)')
    .option('--input <file>', 'JSON-lines input (default: stdin)')
    .option('--output <file>', 'JSON-lines output, written atomically (default: stdout)')
    .addOption(new Option('--method <method>', 'explanation method').choices(['lrp', 'gradient', 'gradient-x-input', 'occlusion']).default('lrp'))
    .addOption(new Option('--rule <rule>', 'LRP rule for all gated products').choices(['all', 'prop', 'abs', 'half']).default('all'))
    .option('--rules <rules>', 'per-product LRP rules: input=R,forget=R,output=R')
    .option('--eps <eps>', 'epsilon-rule stabiliser', '0.001')
    .option('--product-eps <eps>', 'stabiliser of the prop/abs product rules (default: --eps)')
    .option('--bias-factor <b>', 'share of bias/stabiliser relevance spread to the inputs, in [0, 1]', '0')
    .addOption(new Option('--init <init>', 'initial relevance').choices(['logit', 'one']).default('logit'))
    .option('--target <k>', 'class to explain (default: argmax of the scores; a line\'s "target" overrides)')
    .addOption(new Option('--occlusion-score <score>', 'occlusion score').choices(['logit', 'prob']).default('logit'))
    .addOption(new Option('--occlusion-replacement <r>', 'occlusion replacement').choices(['zero', 'delete']).default('zero'))
    .addOption(new Option('--backend <backend>', 'backend').choices(['auto', 'native', 'wasm']))
    .addOption(new Option('--dtype <dtype>', 'compute dtype (default: the model file\'s)').choices(['f32', 'f64']))
    .addHelpText('after', '\nExample:\n  echo \'{"x": [[0.5, -1], [1, 0]]}\' | lstm-lrp explain --model examples/toy-addition.safetensors')
    .action(runExplain)
}
