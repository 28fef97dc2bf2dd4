/** The explanation methods' own flags, shared by `explain`, `compare` and `evaluate-methods`. */
import { Command, Option } from 'commander'
import type { CdConvention, ExplainOptions, IntegrationRule, MethodName, Product, RuleName, SmoothedMethod } from '../explain/types.js'
import { DEFAULT_INTEGRATION_STEPS, PRODUCTS, SAMPLING_DEFAULTS } from '../explain/options.js'
import { SMOOTHED_METHOD_CODES } from '../backend/codes.js'
import { excerpt } from '../describe-value.js'
import { integerFlag, numberFlag } from './number-flags.js'
import { UsageError } from './usage.js'

export interface MethodFlags {
  rule?: string
  rules?: string
  eps?: string
  productEps?: string
  biasFactor?: string
  init?: string
  occlusionScore?: string
  occlusionReplacement?: string
  cdConvention?: string
  cdPhrase?: string
  steps?: string
  igRule?: string
  samples?: string
  shapleySamples?: string
  limeKernelWidth?: string
  limeRidge?: string
  noise?: string
  smoothOver?: string
  seed?: string
}

/** The flags each method reads (the others read none of their own): a flag given to another method is refused, not ignored. */
const METHOD_FLAGS: Partial<Record<MethodName, readonly (keyof MethodFlags)[]>> = {
  lrp: ['rule', 'rules', 'eps', 'productEps', 'biasFactor', 'init'],
  occlusion: ['occlusionScore', 'occlusionReplacement'],
  cd: ['cdConvention', 'cdPhrase'],
  'integrated-gradients': ['steps', 'igRule'],
  shapley: ['shapleySamples', 'seed', 'occlusionScore', 'occlusionReplacement'],
  'kernel-shap': ['samples', 'seed', 'occlusionScore', 'occlusionReplacement'],
  lime: ['samples', 'limeKernelWidth', 'limeRidge', 'seed', 'occlusionScore', 'occlusionReplacement'],
  smoothgrad: ['samples', 'noise', 'smoothOver', 'seed', 'steps', 'igRule'],
}

export function checkMethodFlags(method: MethodName, command: Command): void {
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

/** Adds every method's flags to `command`. */
export function addMethodOptions(command: Command): Command {
  return command
    .addOption(new Option('--rule <rule>', 'LRP rule for all gated products').choices(['all', 'prop', 'abs', 'half']).default('all'))
    .option('--rules <rules>', 'per-product LRP rules: input=R,forget=R,output=R (LSTM), update=R,reset=R (GRU)')
    .option('--eps <eps>', 'epsilon-rule stabiliser', '0.001')
    .option('--product-eps <eps>', 'stabiliser of the prop/abs product rules (default: --eps)')
    .option('--bias-factor <b>', 'share of bias/stabiliser relevance spread to the inputs, in [0, 1]', '0')
    .addOption(new Option('--init <init>', 'initial relevance').choices(['logit', 'one']).default('logit'))
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

/** The value of a flag that is set; undefined (the method's default) otherwise. */
function parsed<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text)
}

/** The object without its undefined entries; undefined when none is left, so that it replaces nothing (a preset's object) either. */
function defined<T extends object>(object: T): T | undefined {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined)
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T)
}

/**
 * The explain options the method flags set. With `onlyGiven`, only the flags given on its command
 * line count, so that a preset or a method's own default is not replaced by a flag's default.
 */
export function methodOptions(flags: MethodFlags, onlyGiven?: Command): Omit<ExplainOptions, 'method' | 'preset'> {
  const value = (key: keyof MethodFlags) => (onlyGiven === undefined || onlyGiven.getOptionValueSource(key) === 'cli' ? flags[key] : undefined)
  const samples = parsed(value('samples'), (text) => integerFlag(text, '--samples'))
  const options = defined({
    rule: value('rule') as RuleName | undefined,
    rules: parsed(value('rules'), parseRules),
    eps: parsed(value('eps'), (text) => numberFlag(text, '--eps')),
    productEps: parsed(value('productEps'), (text) => numberFlag(text, '--product-eps')),
    biasFactor: parsed(value('biasFactor'), (text) => numberFlag(text, '--bias-factor')),
    init: value('init') as ExplainOptions['init'],
    occlusion: defined({ score: value('occlusionScore') as 'logit' | 'prob' | undefined, replacement: value('occlusionReplacement') as 'zero' | 'delete' | undefined }),
    cd: defined({ convention: value('cdConvention') as CdConvention | undefined, phrase: parsed(value('cdPhrase'), parsePhrase) }),
    integratedGradients: defined({ steps: parsed(value('steps'), (text) => integerFlag(text, '--steps')), rule: value('igRule') as IntegrationRule | undefined }),
    seed: parsed(value('seed'), (text) => integerFlag(text, '--seed')),
    shapley: defined({ samples: parsed(value('shapleySamples'), parseShapleySamples) }),
    kernelShap: defined({ samples }),
    lime: defined({
      samples,
      kernelWidth: parsed(value('limeKernelWidth'), (text) => numberFlag(text, '--lime-kernel-width')),
      ridge: parsed(value('limeRidge'), (text) => numberFlag(text, '--lime-ridge')),
    }),
    smoothgrad: defined({ samples, noise: parsed(value('noise'), (text) => numberFlag(text, '--noise')), over: value('smoothOver') as SmoothedMethod | undefined }),
  })
  return options ?? {}
}
