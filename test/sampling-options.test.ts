/** The sampling methods' options: defaults, what reaches the kernel, and every refusal with a one-line E_OPTIONS message. */
import test from 'ava'
import { resolveOptions, SAMPLING_DEFAULTS } from '../lib/explain/options.js'
import { METHOD_CODES, PACKED_OPTION_SLOTS, SMOOTHED_METHOD_CODES, type MethodName } from '../lib/backend/codes.js'
import { packExplainOptions } from '../lib/backend/packed-options.js'
import type { ExplainOptions } from '../lib/explain/types.js'
import { LstmLrpError } from '../lib/errors.js'

const kernelOf = (options: ExplainOptions) => resolveOptions(options, 'f64', 3).kernel
const EMPTY_OBJECTS: ExplainOptions = { seed: 0, shapley: {}, kernelShap: {}, lime: {}, smoothgrad: {} }

test('options without sampling keys resolve as the same options with every sampling object empty', (t) => {
  for (const method of Object.keys(METHOD_CODES) as MethodName[]) t.deepEqual(kernelOf({ method }), kernelOf({ method, ...EMPTY_OBJECTS }), method)
})

test('each sampling method sends its own sample count; the others send 1', (t) => {
  const counts = { shapley: 6, 'kernel-shap': 7, lime: 8, smoothgrad: 9 }
  const options: ExplainOptions = { shapley: { samples: 6 }, kernelShap: { samples: 7 }, lime: { samples: 8 }, smoothgrad: { samples: 9 } }
  for (const method of Object.keys(METHOD_CODES) as MethodName[]) t.is(kernelOf({ method, ...options }).samples, counts[method as keyof typeof counts] ?? 1, method)
  t.is(kernelOf({ method: 'shapley' }).samples, SAMPLING_DEFAULTS.shapleySamples)
  t.is(kernelOf({ method: 'kernel-shap' }).samples, SAMPLING_DEFAULTS.kernelShapSamples)
  t.is(kernelOf({ method: 'lime' }).samples, SAMPLING_DEFAULTS.limeSamples)
  t.is(kernelOf({ method: 'smoothgrad' }).samples, SAMPLING_DEFAULTS.smoothgradSamples)
})

test('the sampling fields land in their packed slots', (t) => {
  const kernel = kernelOf({ method: 'smoothgrad', seed: 4294967295, shapley: { samples: 'exact' }, lime: { kernelWidth: 0.5, ridge: 2 }, smoothgrad: { samples: 3, noise: 0.25, over: 'integrated-gradients' } })
  const packed = packExplainOptions(kernel)
  t.is(packed[PACKED_OPTION_SLOTS.METHOD], METHOD_CODES.smoothgrad)
  t.is(packed[PACKED_OPTION_SLOTS.SAMPLES], 3)
  t.is(packed[PACKED_OPTION_SLOTS.SEED], 4294967295)
  t.is(packed[PACKED_OPTION_SLOTS.SHAPLEY_EXACT], 1)
  t.is(packed[PACKED_OPTION_SLOTS.LIME_KERNEL_WIDTH], 0.5)
  t.is(packed[PACKED_OPTION_SLOTS.LIME_RIDGE], 2)
  t.is(packed[PACKED_OPTION_SLOTS.SMOOTHGRAD_NOISE], 0.25)
  t.is(packed[PACKED_OPTION_SLOTS.SMOOTHGRAD_BASE], SMOOTHED_METHOD_CODES['integrated-gradients'])
})

test('completeness is reported for shapley, kernel-shap, integrated gradients and smoothgrad over integrated gradients only', (t) => {
  const reports = (options: ExplainOptions) => resolveOptions(options, 'f64', 3).completeness
  t.deepEqual(
    (Object.keys(METHOD_CODES) as MethodName[]).filter((method) => reports({ method })),
    ['integrated-gradients', 'shapley', 'kernel-shap'],
  )
  t.true(reports({ method: 'smoothgrad', smoothgrad: { over: 'integrated-gradients' } }))
  t.false(reports({ method: 'smoothgrad', smoothgrad: { over: 'gradient-x-input' } }))
})

const REFUSALS: [ExplainOptions, RegExp][] = [
  [{ seed: -1 }, /^seed must be an integer in \[0, 4294967295\]; got -1$/],
  [{ seed: 2 ** 32 }, /^seed must be an integer in \[0, 4294967295\]; got 4294967296$/],
  [{ seed: 1.5 }, /^seed must be an integer/],
  [{ shapley: { samples: 3 } }, /^shapley\.samples must be even \(permutations come in antithetic pairs\) or 'exact'; got 3$/],
  [{ shapley: { samples: 0 } }, /^shapley\.samples must be an integer in \[1, 65536\]; got 0$/],
  [{ shapley: { samples: 'all' as 'exact' } }, /^shapley\.samples must be an integer in \[1, 65536\]; got "all"$/],
  [{ kernelShap: { samples: 65537 } }, /^kernelShap\.samples must be an integer in \[1, 65536\]; got 65537$/],
  [{ lime: { samples: 2.5 } }, /^lime\.samples must be an integer/],
  [{ lime: { kernelWidth: 0 } }, /^lime\.kernelWidth must be a finite number > 0; got 0$/],
  [{ lime: { ridge: -1 } }, /^lime\.ridge must be a finite number >= 0; got -1$/],
  [{ lime: { width: 1 } as object }, /^lime: unknown option 'width' \(expected samples, kernelWidth, ridge\)$/],
  [{ smoothgrad: { noise: Number.NaN } }, /^smoothgrad\.noise must be a finite number >= 0; got NaN$/],
  [{ smoothgrad: { over: 'lrp' as 'gradient' } }, /^smoothgrad\.over must be one of gradient, gradient-x-input, integrated-gradients; got "lrp"$/],
  [{ smoothgrad: 3 as unknown as object }, /^smoothgrad must be an object \{ samples, noise, over \}$/],
]

for (const [options, message] of REFUSALS)
  test(`refuses ${JSON.stringify(options, (_, value) => (Number.isNaN(value) ? 'NaN' : value))}`, (t) => {
    const error = t.throws(() => kernelOf({ method: 'lrp', ...options }), { instanceOf: LstmLrpError })
    t.is(error?.code, 'E_OPTIONS')
    t.regex(error?.message ?? '', message)
  })
