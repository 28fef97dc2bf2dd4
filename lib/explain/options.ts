/** Validates explain options and lays them out as the kernel's options struct. */
import type { KernelExplainOptions } from '../backend/types.js'
import type { DType, FloatArray } from '../model/types.js'
import type { ClassRef, ExplainOptions, MethodName, Product, RuleName } from './types.js'
import { CD_CONVENTION_CODES, INIT_CODES, INTEGRATION_RULE_CODES, MAX_INTEGRATION_STEPS, MAX_SAMPLES, METHOD_CODES, OCCLUSION_SCORE_CODES, REPLACEMENT_CODES, RULE_CODES, SMOOTHED_METHOD_CODES } from '../backend/codes.js'
import { describeValue } from '../describe-value.js'
import { readingCallerValues } from '../caller-values.js'
import { fail } from '../errors.js'
import { onlyKeys, oneOf, optionError } from '../option-checks.js'
import { withPreset } from './presets.js'

export const DEFAULT_EPS = 0.001
/** LSTM_LRP_PRODUCT_* order: the LSTM's three gated products, then the GRU's two. */
/** The gated products whose LRP rule can be chosen: the LSTM's three and the GRU's two. */
export const PRODUCTS: readonly Product[] = ['input', 'forget', 'output', 'update', 'reset']
type PerProduct = [number, number, number, number, number]
const OPTION_KEYS = ['preset', 'method', 'target', 'versus', 'rule', 'rules', 'eps', 'productEps', 'biasFactor', 'init', 'occlusion', 'cd', 'integratedGradients', 'seed', 'shapley', 'kernelShap', 'lime', 'smoothgrad']
export const DEFAULT_INTEGRATION_STEPS = 64
/** The sampling methods' defaults (docs/METHODS.md § Sampling methods). */
export const SAMPLING_DEFAULTS = {
  shapleySamples: 32,
  kernelShapSamples: 512,
  limeSamples: 1000,
  limeKernelWidth: 0.25,
  limeRidge: 1,
  smoothgradSamples: 32,
  smoothgradNoise: 0.1,
} as const
const MAX_SEED = 2 ** 32 - 1

function nonNegative(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) optionError(`${what} must be a finite number >= 0; got ${describeValue(value)}`)
  return value
}

function productRules(options: ExplainOptions): PerProduct {
  const base = options.rule === undefined ? 'all' : oneOf(RULE_CODES, options.rule, 'rule')
  const rules = options.rules ?? {}
  if (typeof rules !== 'object' || rules === null) optionError('rules must be an object { input, forget, output, update, reset }')
  onlyKeys(rules, PRODUCTS, 'rules')
  return PRODUCTS.map((product) => RULE_CODES[oneOf<RuleName>(RULE_CODES, rules[product] ?? base, `rules.${product}`)]) as PerProduct
}

function productEps(options: ExplainOptions, eps: number): PerProduct {
  const given = options.productEps ?? eps
  if (typeof given === 'number') return PRODUCTS.map(() => nonNegative(given, 'productEps')) as PerProduct
  if (typeof given !== 'object' || given === null) optionError('productEps must be a number or { input, forget, output, update, reset }')
  onlyKeys(given, PRODUCTS, 'productEps')
  return PRODUCTS.map((product) => nonNegative(given[product] ?? eps, `productEps.${product}`)) as PerProduct
}

/** A vector of inputSize finite numbers in the model's dtype; `expected` describes every accepted value. */
function featureVector(value: unknown, dtype: DType, inputSize: number, what: string, expected: string): FloatArray {
  if (typeof value !== 'object' || value === null || typeof (value as ArrayLike<number>).length !== 'number') optionError(`${what} must be ${expected}`)
  const values = value as ArrayLike<unknown>
  if (values.length !== inputSize) optionError(`${what} has ${values.length} values; expected inputSize = ${inputSize}`)
  // Only numbers count: converting anything else could throw (a BigInt, an object without a prototype).
  const asNumber = (entry: unknown) => (typeof entry === 'number' ? entry : NaN)
  const vector: FloatArray = dtype === 'f32' ? Float32Array.from(values, asNumber) : Float64Array.from(values, asNumber)
  if (!vector.every(Number.isFinite)) optionError(`${what} must contain finite numbers`)
  return vector
}

function occlusionFields(options: ExplainOptions, dtype: DType, inputSize: number) {
  const occlusion = options.occlusion ?? {}
  if (typeof occlusion !== 'object' || occlusion === null) optionError('occlusion must be an object { score, replacement }')
  onlyKeys(occlusion, ['score', 'replacement'], 'occlusion')
  const score = OCCLUSION_SCORE_CODES[oneOf(OCCLUSION_SCORE_CODES, occlusion.score ?? 'logit', 'occlusion.score')]
  const replacement = occlusion.replacement ?? 'zero'
  if (replacement === 'zero' || replacement === 'delete') return { occlusionScore: score, occlusionReplacement: REPLACEMENT_CODES[replacement], occlusionVector: null }
  const vector = featureVector(replacement, dtype, inputSize, 'occlusion.replacement', `'zero', 'delete' or a vector of ${inputSize} numbers`)
  return { occlusionScore: score, occlusionReplacement: REPLACEMENT_CODES.vector, occlusionVector: vector }
}

function cdFields(options: ExplainOptions) {
  const cd = options.cd ?? {}
  if (typeof cd !== 'object' || cd === null) optionError('cd must be an object { convention, phrase }')
  onlyKeys(cd, ['convention', 'phrase'], 'cd')
  const convention = CD_CONVENTION_CODES[oneOf(CD_CONVENTION_CODES, cd.convention ?? 'reference', 'cd.convention')]
  if (cd.phrase === undefined) return { phrase: null, fields: { cdConvention: convention, cdPhraseStart: 0, cdPhraseStop: 0 } }
  const phrase = cd.phrase
  if (!Array.isArray(phrase) || phrase.length !== 2 || !phrase.every(Number.isSafeInteger) || phrase[0] < 0 || phrase[1] <= phrase[0])
    optionError(`cd.phrase must be [start, stop) with integers 0 <= start < stop; got ${describeValue(phrase)}`)
  return { phrase: [phrase[0], phrase[1]] as [number, number], fields: { cdConvention: convention, cdPhraseStart: phrase[0], cdPhraseStop: phrase[1] } }
}

function integratedGradientsFields(options: ExplainOptions, dtype: DType, inputSize: number) {
  const ig = options.integratedGradients ?? {}
  if (typeof ig !== 'object' || ig === null) optionError('integratedGradients must be an object { steps, rule, baseline }')
  onlyKeys(ig, ['steps', 'rule', 'baseline'], 'integratedGradients')
  const steps = ig.steps ?? DEFAULT_INTEGRATION_STEPS
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_INTEGRATION_STEPS) optionError(`integratedGradients.steps must be an integer in [1, ${MAX_INTEGRATION_STEPS}]; got ${describeValue(steps)}`)
  const rule = INTEGRATION_RULE_CODES[oneOf(INTEGRATION_RULE_CODES, ig.rule ?? 'midpoint', 'integratedGradients.rule')]
  const baseline = ig.baseline ?? 'zero'
  const vector = baseline === 'zero' ? null : featureVector(baseline, dtype, inputSize, 'integratedGradients.baseline', `'zero' or a vector of ${inputSize} numbers`)
  return { igSteps: steps, igRule: rule, igBaseline: vector }
}

function sampleCount(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SAMPLES) optionError(`${what} must be an integer in [1, ${MAX_SAMPLES}]; got ${describeValue(value)}`)
  return value as number
}

function optionObject<T extends object>(value: T | undefined, keys: readonly string[], what: string): Partial<T> {
  const object = value ?? {}
  if (typeof object !== 'object' || object === null) optionError(`${what} must be an object { ${keys.join(', ')} }`)
  onlyKeys(object, keys, what)
  return object
}

/** The sampling fields of options that give none: most calls, which should not pay for checking them. */
const DEFAULT_SAMPLING_FIELDS = {
  seed: 0,
  shapleyExact: 0,
  limeKernelWidth: SAMPLING_DEFAULTS.limeKernelWidth,
  limeRidge: SAMPLING_DEFAULTS.limeRidge,
  smoothgradNoise: SAMPLING_DEFAULTS.smoothgradNoise,
  smoothgradBase: SMOOTHED_METHOD_CODES.gradient,
}
const DEFAULT_SAMPLES: Partial<Record<MethodName, number>> = {
  shapley: SAMPLING_DEFAULTS.shapleySamples,
  'kernel-shap': SAMPLING_DEFAULTS.kernelShapSamples,
  lime: SAMPLING_DEFAULTS.limeSamples,
  smoothgrad: SAMPLING_DEFAULTS.smoothgradSamples,
}

/** The sampling methods' fields; every given object is checked, the chosen method's count goes to the kernel. */
function samplingFields(options: ExplainOptions, method: MethodName) {
  if (options.seed === undefined && options.shapley === undefined && options.kernelShap === undefined && options.lime === undefined && options.smoothgrad === undefined)
    return { samples: DEFAULT_SAMPLES[method] ?? 1, ...DEFAULT_SAMPLING_FIELDS }
  const seed = options.seed ?? 0
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) optionError(`seed must be an integer in [0, ${MAX_SEED}]; got ${describeValue(seed)}`)
  const shapley = optionObject(options.shapley, ['samples'], 'shapley')
  const exact = shapley.samples === 'exact'
  const shapleySamples = exact ? 1 : sampleCount(shapley.samples ?? SAMPLING_DEFAULTS.shapleySamples, 'shapley.samples')
  if (!exact && shapleySamples % 2 !== 0) optionError(`shapley.samples must be even (permutations come in antithetic pairs) or 'exact'; got ${shapleySamples}`)
  const kernelShap = optionObject(options.kernelShap, ['samples'], 'kernelShap')
  const lime = optionObject(options.lime, ['samples', 'kernelWidth', 'ridge'], 'lime')
  const kernelWidth = lime.kernelWidth ?? SAMPLING_DEFAULTS.limeKernelWidth
  if (typeof kernelWidth !== 'number' || !Number.isFinite(kernelWidth) || kernelWidth <= 0) optionError(`lime.kernelWidth must be a finite number > 0; got ${describeValue(kernelWidth)}`)
  const smoothgrad = optionObject(options.smoothgrad, ['samples', 'noise', 'over'], 'smoothgrad')
  const samples = {
    shapley: shapleySamples,
    'kernel-shap': sampleCount(kernelShap.samples ?? SAMPLING_DEFAULTS.kernelShapSamples, 'kernelShap.samples'),
    lime: sampleCount(lime.samples ?? SAMPLING_DEFAULTS.limeSamples, 'lime.samples'),
    smoothgrad: sampleCount(smoothgrad.samples ?? SAMPLING_DEFAULTS.smoothgradSamples, 'smoothgrad.samples'),
  }
  return {
    samples: method in samples ? samples[method as keyof typeof samples] : 1,
    seed,
    shapleyExact: exact ? 1 : 0,
    limeKernelWidth: kernelWidth,
    limeRidge: nonNegative(lime.ridge ?? SAMPLING_DEFAULTS.limeRidge, 'lime.ridge'),
    smoothgradNoise: nonNegative(smoothgrad.noise ?? SAMPLING_DEFAULTS.smoothgradNoise, 'smoothgrad.noise'),
    smoothgradBase: SMOOTHED_METHOD_CODES[oneOf(SMOOTHED_METHOD_CODES, smoothgrad.over ?? 'gradient', 'smoothgrad.over')],
  }
}

/** Whether the kernel's report is a completeness report for these options. */
function reportsCompleteness(method: MethodName, smoothgradBase: number): boolean {
  if (method === 'smoothgrad') return smoothgradBase === SMOOTHED_METHOD_CODES['integrated-gradients']
  return method === 'integrated-gradients' || method === 'shapley' || method === 'kernel-shap'
}

export interface ResolvedOptions {
  method: MethodName
  kernel: KernelExplainOptions
  /** The caller's initial relevance vector, when init is one. */
  initVector: number[] | number[][] | null
  /** The CD phrase [start, stop), checked against each sequence's length. */
  phrase: [number, number] | null
  /** The class subtracted from every target (checked against the model's classes per sequence). */
  versus: ClassRef | undefined
  /** Whether the kernel's report is a completeness report (Explanation.completeness). */
  completeness: boolean
}

/** Checks the options; a getter or proxy among them that throws is reported as E_OPTIONS, never passed through. */
export function resolveOptions(options: ExplainOptions = {}, dtype: DType, inputSize: number): ResolvedOptions {
  return readingCallerValues('E_OPTIONS', 'explain options', () => checkedOptions(options, dtype, inputSize))
}

function checkedOptions(given: ExplainOptions, dtype: DType, inputSize: number): ResolvedOptions {
  if (typeof given !== 'object' || given === null) optionError('options must be an object')
  onlyKeys(given, OPTION_KEYS, 'explain options')
  const options = withPreset(given)
  const method = oneOf(METHOD_CODES, options.method ?? 'lrp', 'method')
  const eps = nonNegative(options.eps ?? DEFAULT_EPS, 'eps')
  const biasFactor = options.biasFactor ?? 0
  if (typeof biasFactor !== 'number' || !(biasFactor >= 0 && biasFactor <= 1)) optionError(`biasFactor must be a number in [0, 1]; got ${describeValue(biasFactor)}`)
  const init = options.init ?? 'logit'
  const initVector = Array.isArray(init) ? init : null
  const initCode = initVector ? INIT_CODES.one : INIT_CODES[oneOf(INIT_CODES, init, 'init')]
  const cd = cdFields(options)
  const versus = options.versus ?? undefined
  if (versus !== undefined && typeof versus !== 'number' && typeof versus !== 'string') fail('E_TARGET', `versus must be a class index or a label name; got ${describeValue(versus)}`)
  const sampling = samplingFields(options, method)
  return {
    method,
    versus,
    completeness: reportsCompleteness(method, sampling.smoothgradBase),
    initVector: method === 'lrp' ? initVector : null,
    phrase: method === 'cd' ? cd.phrase : null,
    kernel: {
      method: METHOD_CODES[method],
      eps,
      biasFactor,
      productRule: productRules(options),
      productEps: productEps(options, eps),
      init: initCode,
      ...occlusionFields(options, dtype, inputSize),
      ...cd.fields,
      ...integratedGradientsFields(options, dtype, inputSize),
      ...sampling,
    },
  }
}
