// fast-check generators of explain requests spoiled in exactly one way, each paired with the
// LstmLrpError code the API documents for that mistake.
import fc from 'fast-check'
import type { ExplainOptions, SequenceInput } from '../../lib/index.js'
import type { DType } from '../../lib/model/types.js'
import { RULES, scoreRows, type Architecture } from './arbitraries.js'

export interface Request {
  input: SequenceInput
  options: ExplainOptions
}

export interface InvalidRequest extends Request {
  /** What was spoiled, for the failure message. */
  mistake: string
  code: 'E_OPTIONS' | 'E_TARGET' | 'E_INPUT' | 'E_KERNEL'
}

interface Context {
  architecture: Architecture
  dtype: DType
  steps: number
  base: Request
}

/** Lets a generator hand the API a value its types forbid, as a JavaScript caller could. */
function unchecked<T>(value: unknown): T {
  return value as T
}

const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)
const negative = fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), fc.constant(-0.001))
// null is not among them: like undefined, it asks for the default.
const notANumber = fc.oneof(nonFinite, fc.constantFrom('0.1', true, [0.1], {}))
const unknownName = fc.constantFrom('', 'ALL', 'signal-take-all', 'lrp-all', 'toString', '__proto__', 'constructor')

function withOptions(context: Context, mistake: string, code: InvalidRequest['code'], change: fc.Arbitrary<object>): fc.Arbitrary<InvalidRequest> {
  return change.map((extra) => ({ input: context.base.input, options: { ...context.base.options, ...extra }, mistake, code }))
}

function withInput(context: Context, mistake: string, input: fc.Arbitrary<unknown>): fc.Arbitrary<InvalidRequest> {
  return input.map((spoiled) => ({ input: unchecked<SequenceInput>(spoiled), options: context.base.options, mistake, code: 'E_INPUT' as const }))
}

function optionMistakes(context: Context): fc.Arbitrary<InvalidRequest>[] {
  const { architecture, steps } = context
  const rows = scoreRows(architecture, steps) * architecture.head.outputs
  const wrongLength = fc.integer({ min: 0, max: rows + 3 }).filter((length) => length !== rows)
  const width = architecture.inputSize
  return [
    withOptions(
      context,
      'eps negative or not a finite number',
      'E_OPTIONS',
      fc.oneof(negative, notANumber).map((eps) => ({ eps })),
    ),
    withOptions(
      context,
      'biasFactor outside [0, 1]',
      'E_OPTIONS',
      fc.oneof(negative, fc.double({ min: 1.000001, noNaN: true }), notANumber).map((biasFactor) => ({ biasFactor })),
    ),
    withOptions(
      context,
      'unknown rule',
      'E_OPTIONS',
      unknownName.map((rule) => ({ rule })),
    ),
    withOptions(
      context,
      'unknown rule for one product',
      'E_OPTIONS',
      fc.tuple(fc.constantFrom('input', 'forget', 'output'), unknownName).map(([product, rule]) => ({ rules: { [product]: rule } })),
    ),
    withOptions(
      context,
      'unknown product in rules',
      'E_OPTIONS',
      fc.constantFrom('gate', 'Input', 'signal').map((product) => ({ rules: { [product]: RULES[0] } })),
    ),
    withOptions(
      context,
      'unknown method',
      'E_OPTIONS',
      unknownName.map((method) => ({ method })),
    ),
    withOptions(
      context,
      'productEps negative',
      'E_OPTIONS',
      fc
        .oneof(
          negative,
          negative.map((eps) => ({ forget: eps })),
        )
        .map((productEps) => ({ productEps })),
    ),
    withOptions(
      context,
      'unknown init',
      'E_OPTIONS',
      unknownName.map((init) => ({ init })),
    ),
    withOptions(
      context,
      'LRP init vector of the wrong length',
      'E_OPTIONS',
      wrongLength.map((length) => ({ method: 'lrp', init: new Array<number>(length).fill(0.5) })),
    ),
    withOptions(
      context,
      'LRP init vector with a non-finite value',
      'E_OPTIONS',
      fc.tuple(fc.nat(rows - 1), nonFinite).map(([at, bad]) => ({ method: 'lrp', init: Array.from({ length: rows }, (_, k) => (k === at ? bad : 1)) })),
    ),
    withOptions(
      context,
      'unknown option key',
      'E_OPTIONS',
      fc.constantFrom('epsilon', 'rules_', 'bias', 'targets').map((key) => ({ [key]: 1 })),
    ),
    withOptions(
      context,
      'integratedGradients.steps outside [1, 4096]',
      'E_OPTIONS',
      fc.constantFrom(0, -3, 1.5, 4097, Number.NaN).map((count) => ({ integratedGradients: { steps: count } })),
    ),
    withOptions(
      context,
      'malformed cd.phrase',
      'E_OPTIONS',
      fc.constantFrom<unknown>([1, 1], [2, 1], [-1, 1], [0], [0, 1, 2], 'all', [0, 0.5]).map((phrase) => ({ cd: { phrase } })),
    ),
    withOptions(
      context,
      'cd.phrase past the end of the sequence',
      'E_OPTIONS',
      fc.integer({ min: steps + 1, max: steps + 4 }).map((stop) => ({ method: 'cd', cd: { phrase: [0, stop] } })),
    ),
    withOptions(
      context,
      'occlusion replacement of the wrong width',
      'E_OPTIONS',
      fc
        .integer({ min: 0, max: width + 3 })
        .filter((length) => length !== width)
        .map((length) => ({ occlusion: { replacement: new Array<number>(length).fill(0) } })),
    ),
    withOptions(
      context,
      'occlusion replacement with a non-finite value',
      'E_OPTIONS',
      nonFinite.map((bad) => ({ occlusion: { replacement: Array.from({ length: width }, (_, i) => (i === 0 ? bad : 0)) } })),
    ),
    withOptions(
      context,
      'unknown occlusion score',
      'E_OPTIONS',
      unknownName.map((score) => ({ occlusion: { score } })),
    ),
  ]
}

function targetMistakes(context: Context): fc.Arbitrary<InvalidRequest>[] {
  const { architecture, steps } = context
  const { outputs, readout } = architecture.head
  const rows = scoreRows(architecture, steps) * outputs
  const badClass = fc.oneof(fc.integer({ min: outputs, max: outputs + 5 }), fc.integer({ min: -5, max: -1 }), fc.constantFrom(0.5, Number.NaN))
  const mistakes = [
    withOptions(
      context,
      'class index out of range',
      'E_TARGET',
      badClass.map((target) => ({ target })),
    ),
    withOptions(
      context,
      'target weights of the wrong length',
      'E_TARGET',
      fc
        .integer({ min: 0, max: rows + 3 })
        .filter((length) => length !== rows)
        .map((length) => ({ target: { weights: new Array<number>(length).fill(1) } })),
    ),
    withOptions(
      context,
      'target weights with a non-finite value',
      'E_TARGET',
      nonFinite.map((bad) => ({ target: { weights: Array.from({ length: rows }, (_, k) => (k === 0 ? bad : 1)) } })),
    ),
    withOptions(
      context,
      'target of the wrong type',
      'E_TARGET',
      fc.constantFrom<unknown>('1', true, {}, { weight: [1] }).map((target) => ({ target })),
    ),
  ]
  if (readout === 'last') mistakes.push(withOptions(context, "[step, class] target on readout 'last'", 'E_TARGET', fc.constant({ target: [0, 0] })))
  else
    mistakes.push(
      withOptions(
        context,
        '[step, class] target with the step out of range',
        'E_TARGET',
        fc.constantFrom(steps, steps + 2, -1, 0.5).map((step) => ({ target: [step, 0] })),
      ),
      withOptions(
        context,
        '[step, class] target with the class out of range',
        'E_TARGET',
        badClass.map((cls) => ({ target: [0, cls] })),
      ),
    )
  return mistakes
}

function inputMistakes(context: Context): fc.Arbitrary<InvalidRequest>[] {
  const { architecture, dtype, steps } = context
  const width = architecture.inputSize
  const rowsWith = (bad: number) => fc.tuple(fc.nat(steps - 1), fc.nat(width - 1)).map(([t, i]) => Array.from({ length: steps }, (_, s) => Array.from({ length: width }, (_, f) => (s === t && f === i ? bad : 0.25))))
  const vocabSize = architecture.embedding?.vocabSize
  const mistakes = [
    withInput(context, 'a non-finite input value', nonFinite.chain(rowsWith)),
    withInput(
      context,
      'a non-finite value in a typed-array input',
      nonFinite.chain(rowsWith).map((rows) => ({ data: Float64Array.from(rows.flat()), steps })),
    ),
    withInput(context, 'an empty sequence', fc.constantFrom<unknown>([], { data: new Float32Array(0), steps: 0 }, { tokens: [] })),
    withInput(
      context,
      'a row of the wrong width',
      fc.constantFrom(width - 1, width + 1).map((length) => Array.from({ length: steps }, () => new Array<number>(length).fill(0.1))),
    ),
    withInput(context, 'typed data whose length is not steps × inputSize', fc.constant({ data: new Float64Array(steps * width + 1), steps })),
    withInput(context, 'not a sequence', fc.constantFrom<unknown>(null, 'abc', 42, { steps })),
  ]
  if (dtype === 'f32') mistakes.push(withInput(context, 'a value beyond float32', fc.constantFrom(1e39, -3.5e38).chain(rowsWith)))
  if (vocabSize === undefined) mistakes.push(withInput(context, 'token ids on a model without an embedding', fc.constant({ tokens: new Array<number>(steps).fill(0) })))
  else
    mistakes.push(
      withInput(
        context,
        'a token id outside the vocabulary',
        fc.constantFrom(vocabSize, -1, 0.5, Number.NaN).map((id) => ({ tokens: Array.from({ length: steps }, (_, t) => (t === 0 ? id : 0)) })),
      ),
    )
  return mistakes
}

/** Occlusion by deletion where the kernel refuses it: one step, or readout `each`. */
function kernelMistakes(context: Context): fc.Arbitrary<InvalidRequest>[] {
  if (context.architecture.head.readout === 'last' && context.steps >= 2) return []
  return [withOptions(context, 'occlusion by deletion of the only step or on readout each', 'E_KERNEL', fc.constant({ method: 'occlusion', occlusion: { replacement: 'delete' } }))]
}

/** One valid request spoiled in one way, chosen among every mistake that applies to it. */
export function invalidRequestArb(architecture: Architecture, dtype: DType, steps: number, base: Request): fc.Arbitrary<InvalidRequest> {
  const context = { architecture, dtype, steps, base }
  return fc.oneof(...optionMistakes(context), ...targetMistakes(context), ...inputMistakes(context), ...kernelMistakes(context))
}
