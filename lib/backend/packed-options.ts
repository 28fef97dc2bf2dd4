/** The numeric explain options as the bindings take them: one Float64Array laid out by LSTM_LRP_PACKED_*. */
import { PACKED_OPTION_SLOTS as SLOT } from './codes.js'
import type { KernelExplainOptions } from './types.js'

// One array for every call: both bindings copy the values out before the call returns (even an
// async one), and a fresh array of this size is allocated outside the heap, which costs about a
// microsecond of a short explanation.
const packed = new Float64Array(SLOT.OPTIONS_SIZE)

/** The options packed; the array is valid until the next call. */
export function packExplainOptions(options: KernelExplainOptions): Float64Array {
  packed[SLOT.METHOD] = options.method
  packed[SLOT.EPS] = options.eps
  packed[SLOT.BIAS_FACTOR] = options.biasFactor
  // Element by element: TypedArray.prototype.set from a plain array takes a slow generic path.
  options.productRule.forEach((rule, k) => (packed[SLOT.PRODUCT_RULE + k] = rule))
  options.productEps.forEach((eps, k) => (packed[SLOT.PRODUCT_EPS + k] = eps))
  packed[SLOT.INIT] = options.init
  packed[SLOT.OCCLUSION_SCORE] = options.occlusionScore
  packed[SLOT.OCCLUSION_REPLACEMENT] = options.occlusionReplacement
  packed[SLOT.CD_CONVENTION] = options.cdConvention
  packed[SLOT.CD_PHRASE_START] = options.cdPhraseStart
  packed[SLOT.CD_PHRASE_STOP] = options.cdPhraseStop
  packed[SLOT.IG_STEPS] = options.igSteps
  packed[SLOT.IG_RULE] = options.igRule
  packed[SLOT.SAMPLES] = options.samples
  packed[SLOT.SEED] = options.seed
  packed[SLOT.SHAPLEY_EXACT] = options.shapleyExact
  packed[SLOT.LIME_KERNEL_WIDTH] = options.limeKernelWidth
  packed[SLOT.LIME_RIDGE] = options.limeRidge
  packed[SLOT.SMOOTHGRAD_NOISE] = options.smoothgradNoise
  packed[SLOT.SMOOTHGRAD_BASE] = options.smoothgradBase
  return packed
}
