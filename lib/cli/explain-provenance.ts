/** What an explanation records of how it was made: the method, its effective options (defaults filled in), and the model file. */
import path from 'node:path'
import { DEFAULT_EPS, DEFAULT_INTEGRATION_STEPS } from '../explain/options.js'
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

/** The options `method` reads; the others' options, which it ignores, are left out. */
export function effectiveOptions(options: ExplainOptions, config: ModelConfig): Record<string, unknown> {
  switch (options.method ?? 'lrp') {
    case 'lrp':
      return lrpOptions(options, productsOf(config))
    case 'occlusion':
      return { score: options.occlusion?.score ?? 'logit', replacement: options.occlusion?.replacement ?? 'zero' }
    case 'cd':
      return { convention: options.cd?.convention ?? 'reference', ...(options.cd?.phrase !== undefined ? { phrase: options.cd.phrase } : {}) }
    case 'integrated-gradients':
      return {
        steps: options.integratedGradients?.steps ?? DEFAULT_INTEGRATION_STEPS,
        rule: options.integratedGradients?.rule ?? 'midpoint',
        baseline: options.integratedGradients?.baseline ?? 'zero',
      }
    default:
      return {}
  }
}

export function provenanceOf(options: ExplainOptions, modelFile: string, config: ModelConfig): Provenance {
  return { method: options.method ?? 'lrp', options: effectiveOptions(options, config), model: path.basename(modelFile) }
}
