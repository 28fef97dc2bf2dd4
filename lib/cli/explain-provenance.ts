/** What an explanation records of how it was made: the method, its effective options (defaults filled in), and the model file. */
import path from 'node:path'
import { DEFAULT_EPS, DEFAULT_INTEGRATION_STEPS, SAMPLING_DEFAULTS } from '../explain/options.js'
import type { ExplainOptions, MethodName, Product, RuleName } from '../explain/types.js'
import type { ModelConfig } from '../model/types.js'
import { isGruCell } from '../model/config.js'

export interface Provenance {
  method: MethodName
  /** The options the method reads, as it used them. */
  options: Record<string, unknown>
  /** The model's file name (without its folder, which says nothing about the model). */
  model: string
}

const LSTM_PRODUCTS: Product[] = ['input', 'forget', 'output']
const GRU_PRODUCTS: Product[] = ['update', 'reset']

/** The gated products of the model's layers: an LSTM's rules say nothing about a GRU's products, and the reverse. */
function productsOf(config: ModelConfig): Product[] {
  const gru = config.layers.map((layer) => isGruCell(layer.cell))
  return [...(gru.includes(false) ? LSTM_PRODUCTS : []), ...(gru.includes(true) ? GRU_PRODUCTS : [])]
}

function lrpOptions(options: ExplainOptions, products: Product[]): Record<string, unknown> {
  const rule: RuleName = options.rule ?? 'all'
  const eps = options.eps ?? DEFAULT_EPS
  const rules = Object.fromEntries(products.map((product) => [product, options.rules?.[product] ?? rule]))
  return { rule, rules, eps, productEps: options.productEps ?? eps, biasFactor: options.biasFactor ?? 0, init: options.init ?? 'logit' }
}

function removalOptions(options: ExplainOptions): Record<string, unknown> {
  return { score: options.occlusion?.score ?? 'logit', replacement: options.occlusion?.replacement ?? 'zero' }
}

function integratedGradientsOptions(options: ExplainOptions): Record<string, unknown> {
  return {
    steps: options.integratedGradients?.steps ?? DEFAULT_INTEGRATION_STEPS,
    rule: options.integratedGradients?.rule ?? 'midpoint',
    baseline: options.integratedGradients?.baseline ?? 'zero',
  }
}

function smoothgradOptions(options: ExplainOptions): Record<string, unknown> {
  const over = options.smoothgrad?.over ?? 'gradient'
  return {
    samples: options.smoothgrad?.samples ?? SAMPLING_DEFAULTS.smoothgradSamples,
    noise: options.smoothgrad?.noise ?? SAMPLING_DEFAULTS.smoothgradNoise,
    over,
    seed: options.seed ?? 0,
    ...(over === 'integrated-gradients' ? { integratedGradients: integratedGradientsOptions(options) } : {}),
  }
}

/** The options `method` reads; the others' options, which it ignores, are left out. */
export function effectiveOptions(options: ExplainOptions, config: ModelConfig): Record<string, unknown> {
  const seed = options.seed ?? 0
  switch (options.method ?? 'lrp') {
    case 'lrp':
      return lrpOptions(options, productsOf(config))
    case 'occlusion':
      return removalOptions(options)
    case 'cd':
      return { convention: options.cd?.convention ?? 'reference', ...(options.cd?.phrase !== undefined ? { phrase: options.cd.phrase } : {}) }
    case 'integrated-gradients':
      return integratedGradientsOptions(options)
    case 'shapley':
      return { samples: options.shapley?.samples ?? SAMPLING_DEFAULTS.shapleySamples, seed, ...removalOptions(options) }
    case 'kernel-shap':
      return { samples: options.kernelShap?.samples ?? SAMPLING_DEFAULTS.kernelShapSamples, seed, ...removalOptions(options) }
    case 'lime':
      return {
        samples: options.lime?.samples ?? SAMPLING_DEFAULTS.limeSamples,
        kernelWidth: options.lime?.kernelWidth ?? SAMPLING_DEFAULTS.limeKernelWidth,
        ridge: options.lime?.ridge ?? SAMPLING_DEFAULTS.limeRidge,
        seed,
        ...removalOptions(options),
      }
    case 'smoothgrad':
      return smoothgradOptions(options)
    default:
      return {}
  }
}

export function provenanceOf(options: ExplainOptions, modelFile: string, config: ModelConfig): Provenance {
  return { method: options.method ?? 'lrp', options: effectiveOptions(options, config), model: path.basename(modelFile) }
}
