/**
 * The JSON Schemas of every request and response: fastify validates request bodies with them (no
 * type coercion, no property silently removed) and @fastify/swagger publishes them at /openapi.json.
 * Bounds come from the service's limits, so oversized inputs are refused before any work.
 */
import type { ServeLimits } from './limits.js'
import { TEXT_CHARACTERS_PER_STEP } from './limits.js'
import { EXPLAIN_PRESETS } from '../explain/presets.js'
import { PRODUCTS } from '../explain/options.js'
import { MAX_SAMPLES, METHOD_CODES, RULE_CODES, SMOOTHED_METHOD_CODES } from '../backend/codes.js'

/** Longest word, label name or id string taken: a longer one is not a word of any vocabulary. */
const MAX_WORD = 1000
const METHODS = Object.keys(METHOD_CODES)
const RULES = Object.keys(RULE_CODES)

const number = { type: 'number' }
const integer = { type: 'integer' }
const sampleCount = { type: 'integer', minimum: 1, maximum: MAX_SAMPLES }
const numbers = { type: 'array', items: number }
const classRef = { type: ['integer', 'string'], maxLength: MAX_WORD }
const perProduct = (value: object) => ({ type: 'object', additionalProperties: false, properties: Object.fromEntries(PRODUCTS.map((product) => [product, value])) })

export const errorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'string', description: 'E_REQUEST, E_INPUT, E_TARGET, E_OPTIONS, E_NUMERIC, E_TOO_LARGE, ...' }, message: { type: 'string' } },
    },
  },
}

function inputProperties(limits: ServeLimits, vectorWidth: number): Record<string, object> {
  return {
    text: { type: 'string', maxLength: limits.maxSteps * TEXT_CHARACTERS_PER_STEP, description: "tokenized with the model's tokenizer" },
    tokens: { type: 'array', maxItems: limits.maxSteps, items: { type: ['integer', 'string'], maxLength: MAX_WORD }, description: 'token ids, or words looked up in the vocabulary' },
    x: { type: 'array', maxItems: limits.maxSteps, items: { type: 'array', maxItems: vectorWidth, items: number }, description: 'steps × features' },
    id: { type: ['string', 'number', 'null'], maxLength: MAX_WORD, description: 'echoed in the answer' },
  }
}

/** Exactly one input. */
const ONE_INPUT = { oneOf: [{ required: ['x'] }, { required: ['tokens'] }, { required: ['text'] }] }

/** The model's sizes the schemas bound arrays by. */
export interface ModelShape {
  /** Features per step (the embedding width for token models). */
  inputSize: number
  outputs: number
}

function explainItem(limits: ServeLimits, { inputSize: vectorWidth, outputs }: ModelShape): object {
  // Score rows × outputs, flat or as rows.
  const weights = { type: 'array', maxItems: limits.maxSteps * outputs, items: { anyOf: [number, { type: 'array', maxItems: outputs, items: number }] } }
  const vector = { type: 'array', maxItems: vectorWidth, items: number }
  return {
    type: 'object',
    additionalProperties: false,
    ...ONE_INPUT,
    properties: {
      ...inputProperties(limits, vectorWidth),
      target: {
        anyOf: [
          { type: ['integer', 'string', 'null'], maxLength: MAX_WORD },
          { type: 'array', minItems: 2, maxItems: 2, items: classRef },
          {
            type: 'object',
            additionalProperties: false,
            required: ['weights'],
            properties: { weights: { anyOf: [weights, { type: 'object', maxProperties: outputs, propertyNames: { maxLength: MAX_WORD }, additionalProperties: number }] } },
          },
        ],
        description: 'class index or label name, [step, class], or { weights }; default: the predicted class',
      },
      relevance: { type: 'boolean', description: 'keep the per-dimension relevance of token and text inputs' },
      preset: { type: 'string', enum: Object.keys(EXPLAIN_PRESETS), description: "one of the paper's named variants; the options given next to it replace the preset's" },
      method: { type: 'string', enum: METHODS },
      rule: { type: 'string', enum: RULES },
      rules: perProduct({ type: 'string', enum: RULES }),
      eps: number,
      productEps: { anyOf: [number, perProduct(number)] },
      biasFactor: number,
      init: { anyOf: [{ type: 'string', enum: ['logit', 'one'] }, weights] },
      occlusion: {
        type: 'object',
        additionalProperties: false,
        properties: { score: { type: 'string', enum: ['logit', 'prob'] }, replacement: { anyOf: [{ type: 'string', enum: ['zero', 'delete'] }, vector] } },
      },
      cd: {
        type: 'object',
        additionalProperties: false,
        properties: { convention: { type: 'string', enum: ['reference', 'inclusive'] }, phrase: { type: 'array', minItems: 2, maxItems: 2, items: integer } },
      },
      integratedGradients: {
        type: 'object',
        additionalProperties: false,
        properties: {
          steps: integer,
          rule: { type: 'string', enum: ['midpoint', 'gauss-legendre'] },
          baseline: { anyOf: [{ type: 'string', enum: ['zero'] }, vector] },
        },
      },
      seed: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
      shapley: { type: 'object', additionalProperties: false, properties: { samples: { anyOf: [sampleCount, { type: 'string', enum: ['exact'] }] } } },
      kernelShap: { type: 'object', additionalProperties: false, properties: { samples: sampleCount } },
      lime: { type: 'object', additionalProperties: false, properties: { samples: sampleCount, kernelWidth: number, ridge: number } },
      smoothgrad: {
        type: 'object',
        additionalProperties: false,
        properties: { samples: sampleCount, noise: number, over: { type: 'string', enum: Object.keys(SMOOTHED_METHOD_CODES) } },
      },
      versus: classRef,
    },
  }
}

function predictItem(limits: ServeLimits, vectorWidth: number): object {
  return { type: 'object', additionalProperties: false, ...ONE_INPUT, properties: inputProperties(limits, vectorWidth) }
}

/** One request, or { "items": [requests] } answered with { "results": [answer or error per item] }. */
function oneOrItems(item: object, limits: ServeLimits): object {
  return {
    oneOf: [item, { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', minItems: 1, maxItems: limits.maxItems, items: item } } }],
  }
}

const explanationResult = {
  type: 'object',
  required: ['method', 'options', 'model', 'scores', 'target', 'perStep', 'conservation'],
  properties: {
    id: { type: ['string', 'number', 'null'] },
    tokens: { type: 'array', items: { type: 'string' } },
    unknown: { type: 'array', items: integer },
    label: { type: 'string' },
    method: { type: 'string', enum: METHODS },
    options: { type: 'object', additionalProperties: true },
    model: { type: 'string' },
    scores: { anyOf: [numbers, { type: 'array', items: numbers }] },
    target: { anyOf: [integer, { type: 'array', items: integer }, { type: 'object', required: ['weights'], properties: { weights: numbers } }] },
    relevance: { type: 'array', items: numbers },
    perStep: numbers,
    conservation: {
      anyOf: [{ type: 'null' }, { type: 'object', required: ['input', 'inputs', 'absorbed', 'initialState'], properties: { input: number, inputs: number, absorbed: number, initialState: number } }],
    },
    decomposition: { type: 'object', required: ['score', 'relevant', 'irrelevant', 'bias'], properties: { score: number, relevant: number, irrelevant: number, bias: number } },
    completeness: { type: 'object', required: ['difference', 'sum', 'delta'], properties: { difference: number, sum: number, delta: number } },
  },
}

const predictionResult = {
  type: 'object',
  required: ['scores', 'probabilities', 'label'],
  properties: {
    id: { type: ['string', 'number', 'null'] },
    tokens: { type: 'array', items: { type: 'string' } },
    unknown: { type: 'array', items: integer },
    scores: { anyOf: [numbers, { type: 'array', items: numbers }] },
    probabilities: { anyOf: [{ type: 'null' }, numbers, { type: 'array', items: numbers }] },
    label: { type: ['integer', 'null'] },
    labelName: { type: 'string' },
  },
}

function resultsOf(result: object): object {
  return { type: 'object', required: ['results'], properties: { results: { type: 'array', items: { anyOf: [result, errorSchema] } } } }
}

const errorResponses = {
  400: { description: 'malformed JSON, a schema violation (E_REQUEST) or an input the model refuses (E_INPUT, E_TARGET, E_OPTIONS, E_NUMERIC)', ...errorSchema },
  413: { description: 'body over --max-body (E_TOO_LARGE)', ...errorSchema },
  415: { description: 'content type other than application/json (E_REQUEST)', ...errorSchema },
  503: { description: 'queue full (E_OVERLOADED, with Retry-After) or shutting down (E_SHUTTING_DOWN)', ...errorSchema },
  504: { description: 'not answered within --timeout-ms (E_TIMEOUT)', ...errorSchema },
}

export function routeSchemas(limits: ServeLimits, shape: ModelShape) {
  return {
    explain: {
      summary: 'Explain one input, or { "items": [...] } of them',
      body: oneOrItems(explainItem(limits, shape), limits),
      response: { 200: { description: 'the object `lstm-lrp explain` prints for the input, or { results }', anyOf: [explanationResult, resultsOf(explanationResult)] }, ...errorResponses },
    },
    predict: {
      summary: 'Predict one input, or { "items": [...] } of them',
      body: oneOrItems(predictItem(limits, shape.inputSize), limits),
      response: { 200: { description: 'the object `lstm-lrp predict` prints for the input, or { results }', anyOf: [predictionResult, resultsOf(predictionResult)] }, ...errorResponses },
    },
  }
}
