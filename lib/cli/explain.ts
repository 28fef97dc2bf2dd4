/** `lstm-lrp explain`: one explanation per input (JSON lines, text, words or CSV rows), as JSON lines or a heatmap. */
import { Command, Option } from 'commander'
import type { Model } from '../model/model.js'
import type { BatchItem, CdConvention, ExplainOptions, Explanation, IntegrationRule, MethodName, Product, RuleName, SmoothedMethod, Target } from '../explain/types.js'
import { DEFAULT_INTEGRATION_STEPS, PRODUCTS, SAMPLING_DEFAULTS } from '../explain/options.js'
import { METHOD_CODES, SMOOTHED_METHOD_CODES } from '../backend/codes.js'
import { LstmLrpError } from '../errors.js'
import { excerpt } from '../describe-value.js'
import { integerFlag, numberFlag } from './number-flags.js'
import { isStdin } from './input/lines.js'
import { addInputOptions, runInputJob, type JobFlags } from './input/job.js'
import { at, type InputRecord } from './input/records.js'
import { explanationObject } from './result-objects.js'
import { UsageError } from './usage.js'
import { checkClassFlags, classFlags, contrastName, contrastOf, recordTarget } from './class-flags.js'
import { defaultFormat, EXPLAIN_FORMATS, explanationWriter, type ExplainFormat } from './explain-output.js'
import { provenanceOf } from './explain-provenance.js'
import { defaultModelPath } from '../model/default-model.js'

interface ExplainFlags extends JobFlags {
  format?: ExplainFormat
  method: string
  rule: string
  rules?: string
  eps: string
  productEps?: string
  biasFactor: string
  init: string
  target?: string
  versus?: string
  targetFrom?: 'y'
  occlusionScore: string
  occlusionReplacement: string
  cdConvention: string
  cdPhrase?: string
  steps: string
  igRule: string
  samples?: string
  shapleySamples?: string
  limeKernelWidth?: string
  limeRidge?: string
  noise?: string
  smoothOver: string
  seed?: string
  values?: boolean
}

/** The flags each method reads (the others read none of their own): a flag given to another method is refused, not ignored. */
const METHOD_FLAGS: Partial<Record<MethodName, readonly (keyof ExplainFlags)[]>> = {
  lrp: ['rule', 'rules', 'eps', 'productEps', 'biasFactor', 'init'],
  occlusion: ['occlusionScore', 'occlusionReplacement'],
  cd: ['cdConvention', 'cdPhrase'],
  'integrated-gradients': ['steps', 'igRule'],
  shapley: ['shapleySamples', 'seed', 'occlusionScore', 'occlusionReplacement'],
  'kernel-shap': ['samples', 'seed', 'occlusionScore', 'occlusionReplacement'],
  lime: ['samples', 'limeKernelWidth', 'limeRidge', 'seed', 'occlusionScore', 'occlusionReplacement'],
  smoothgrad: ['samples', 'noise', 'smoothOver', 'seed', 'steps', 'igRule'],
}

function checkMethodFlags(method: MethodName, command: Command): void {
  const own = METHOD_FLAGS[method] ?? []
  for (const flags of Object.values(METHOD_FLAGS))
    for (const flag of flags) {
      if (own.includes(flag) || command.getOptionValueSource(flag) !== 'cli') continue
      const name = command.options.find((option) => option.attributeName() === flag)?.long
      const users = Object.entries(METHOD_FLAGS)
        .filter(([, names]) => names.includes(flag))
        .map(([user]) => user)
      throw new UsageError(`${name} applies to --method ${users.join(', ')}, not to --method ${method}`)
    }
}

function parseRules(text: string): Partial<Record<Product, RuleName>> {
  const rules: Partial<Record<Product, RuleName>> = {}
  for (const part of text.split(',')) {
    const [product, rule, extra] = part.split('=').map((piece) => piece.trim())
    if (rule === undefined || extra !== undefined || !(PRODUCTS as readonly string[]).includes(product))
      throw new UsageError(`--rules takes PRODUCT=R pairs, PRODUCT one of ${PRODUCTS.join(', ')}; got '${excerpt(text)}'`)
    rules[product as Product] = rule as RuleName
  }
  return rules
}

function parsePhrase(text: string): [number, number] {
  const bounds = text.split(',').map((piece) => piece.trim())
  if (bounds.length !== 2 || !bounds.every((bound) => /^\d+$/.test(bound))) throw new UsageError(`--cd-phrase takes START,STOP; got '${excerpt(text)}'`)
  return [Number(bounds[0]), Number(bounds[1])]
}

function parseShapleySamples(text: string): number | 'exact' {
  return text.trim() === 'exact' ? 'exact' : integerFlag(text, '--shapley-samples')
}

/** A flag's value when it was given; the method's default otherwise. */
function given<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text)
}

function explainOptions(flags: ExplainFlags): ExplainOptions {
  const eps = numberFlag(flags.eps, '--eps')
  const samples = given(flags.samples, (text) => integerFlag(text, '--samples'))
  return {
    method: flags.method as ExplainOptions['method'],
    rule: flags.rule as RuleName,
    ...(flags.rules !== undefined ? { rules: parseRules(flags.rules) } : {}),
    eps,
    productEps: flags.productEps !== undefined ? numberFlag(flags.productEps, '--product-eps') : eps,
    biasFactor: numberFlag(flags.biasFactor, '--bias-factor'),
    init: flags.init as ExplainOptions['init'],
    occlusion: {
      score: flags.occlusionScore as 'logit' | 'prob',
      replacement: flags.occlusionReplacement as 'zero' | 'delete',
    },
    cd: {
      convention: flags.cdConvention as CdConvention,
      ...(flags.cdPhrase !== undefined ? { phrase: parsePhrase(flags.cdPhrase) } : {}),
    },
    integratedGradients: { steps: integerFlag(flags.steps, '--steps'), rule: flags.igRule as IntegrationRule },
    seed: given(flags.seed, (text) => integerFlag(text, '--seed')),
    shapley: { samples: given(flags.shapleySamples, parseShapleySamples) },
    kernelShap: { samples },
    lime: {
      samples,
      kernelWidth: given(flags.limeKernelWidth, (text) => numberFlag(text, '--lime-kernel-width')),
      ridge: given(flags.limeRidge, (text) => numberFlag(text, '--lime-ridge')),
    },
    smoothgrad: { samples, noise: given(flags.noise, (text) => numberFlag(text, '--noise')), over: flags.smoothOver as SmoothedMethod },
  }
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
  const flagOptions = explainOptions(flags)
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
  return addInputOptions(
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
    .addOption(new Option('--rule <rule>', 'LRP rule for all gated products').choices(['all', 'prop', 'abs', 'half']).default('all'))
    .option('--rules <rules>', 'per-product LRP rules: input=R,forget=R,output=R (LSTM), update=R,reset=R (GRU)')
    .option('--eps <eps>', 'epsilon-rule stabiliser', '0.001')
    .option('--product-eps <eps>', 'stabiliser of the prop/abs product rules (default: --eps)')
    .option('--bias-factor <b>', 'share of bias/stabiliser relevance spread to the inputs, in [0, 1]', '0')
    .addOption(new Option('--init <init>', 'initial relevance').choices(['logit', 'one']).default('logit'))
    .option('--target <class>', 'class to explain, by index or label name (default: argmax of the scores; a line\'s "target" overrides)')
    .option('--versus <class>', 'explain the target class rather than this one: target weights +1 and -1 (needs a target)')
    .addOption(new Option('--target-from <key>', 'explain the class each line\'s "y" names (the training format\'s true label)').choices(['y']))
    .addOption(new Option('--occlusion-score <score>', 'occlusion, shapley, kernel-shap, lime: the score a removal changes').choices(['logit', 'prob']).default('logit'))
    .addOption(new Option('--occlusion-replacement <r>', 'occlusion, shapley, kernel-shap, lime: what a removed step becomes').choices(['zero', 'delete']).default('zero'))
    .addOption(new Option('--cd-convention <c>', 'CD: steps whose bias × bias term is relevant').choices(['reference', 'inclusive']).default('reference'))
    .option('--cd-phrase <start,stop>', 'CD: one decomposition of the phrase [start, stop) (default: one per step)')
    .option('--steps <m>', 'integrated gradients: points on the path from the zero baseline', String(DEFAULT_INTEGRATION_STEPS))
    .addOption(new Option('--ig-rule <rule>', 'integrated gradients: quadrature').choices(['midpoint', 'gauss-legendre']).default('midpoint'))
    .option('--shapley-samples <n|exact>', `shapley: permutations, an even number (default ${SAMPLING_DEFAULTS.shapleySamples}), or exact: every coalition (up to 16 steps)`)
    .option('--samples <n>', `kernel-shap, lime, smoothgrad: samples per input (default ${SAMPLING_DEFAULTS.kernelShapSamples}, ${SAMPLING_DEFAULTS.limeSamples} and ${SAMPLING_DEFAULTS.smoothgradSamples})`)
    .option('--lime-kernel-width <w>', `lime: width of the kernel over the removed fraction (default ${SAMPLING_DEFAULTS.limeKernelWidth})`)
    .option('--lime-ridge <r>', `lime: ridge penalty (default ${SAMPLING_DEFAULTS.limeRidge})`)
    .option('--noise <sigma>', `smoothgrad: standard deviation of the input noise (default ${SAMPLING_DEFAULTS.smoothgradNoise})`)
    .addOption(new Option('--smooth-over <method>', 'smoothgrad: the method averaged over noisy copies').choices(Object.keys(SMOOTHED_METHOD_CODES)).default('gradient'))
    .option('--seed <s>', 'shapley, kernel-shap, lime, smoothgrad: seed of the samples (default 0)')
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
