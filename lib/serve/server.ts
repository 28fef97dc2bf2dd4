/**
 * The HTTP service around a loaded model: fastify validates bodies against the route schemas (no
 * coercion, nothing silently dropped) and refuses bodies over --max-body while they stream in; the
 * batcher coalesces explanations; every error is { "error": { "code", "message" } } on one line.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import swagger from '@fastify/swagger'
import type { Model } from '../model/model.js'
import { LstmLrpError } from '../errors.js'
import { describeValue } from '../describe-value.js'
import { Batcher } from './batcher.js'
import type { ServeLimits } from './limits.js'
import { serveMetrics } from './metrics.js'
import { errorBody, statusOf } from './http-errors.js'
import { errorSchema, routeSchemas } from './schemas.js'
import { modelSummary, modelSummarySchema } from './model-summary.js'
import { validationMessage, type SchemaError } from './validation-message.js'
import { explainAnswers, predictAnswers, resultsJson, type Answer } from './routes.js'
import type { RequestBody } from './requests.js'
import { packageVersion } from '../cli/version.js'

/**
 * How long the rest of a refused body is read and thrown away after the 413: closing at once, with
 * unread bytes pending, resets the connection, and the client may lose the answer with it.
 */
const DISCARD_MS = 5000

/** Lets the client read its 413: the body's remainder is discarded for a while (never kept), then the connection closes. */
function discardRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  reply.removeHeader('connection')
  reply.raw.once('finish', () => {
    if (request.raw.readableEnded) return
    const socket = request.raw.socket
    const timer = setTimeout(() => socket.destroy(), DISCARD_MS)
    request.raw.once('end', () => clearTimeout(timer))
    socket.once('close', () => clearTimeout(timer))
    request.raw.resume()
  })
}

/** How long a closing server keeps reading before it closes the connections with no request. */
const UNREAD_REQUESTS_MS = 50

export interface ServiceSettings {
  limits: ServeLimits
  /** The model's file, whose name answers carry. */
  modelFile: string
}

export interface Service {
  app: FastifyInstance
  /** Listens and returns the URL, with the real port when `port` is 0. */
  listen(host: string, port: number): Promise<string>
  /** Stops accepting, answers every request in flight, then frees the model. */
  close(): Promise<void>
}

function sendJson(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(json)
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  if (status === 503 && code === 'E_OVERLOADED') reply.header('retry-after', '1')
  return sendJson(reply, status, JSON.stringify({ error: { code, message: message.replace(/\s*\n\s*/g, ' ') } }))
}

/** Fastify's own errors (body limits, JSON, content type, schema) as the service's codes. */
function requestError(error: FastifyError, request: FastifyRequest, limits: ServeLimits): { status: number; code: string; message: string } {
  if (error.validation) return { status: 400, code: 'E_REQUEST', message: validationMessage(error.validation as unknown as SchemaError[], request.body) }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'E_TOO_LARGE', message: `the body is larger than --max-body (${limits.maxBody} bytes)` }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'E_REQUEST', message: `unsupported content type ${describeValue(String(request.headers['content-type'] ?? ''))}: send application/json` }
    default:
      return { status: error.statusCode ?? 400, code: 'E_REQUEST', message: error.message }
  }
}

export async function buildService(model: Model, { limits, modelFile }: ServiceSettings): Promise<Service> {
  const metrics = serveMetrics()
  const batcher = new Batcher(model, limits, {
    onBatch: (size) => metrics.batchSize.observe(size),
    onQueueDepth: (depth) => metrics.queueDepth.set(depth),
    onExplained: (count) => metrics.explanations.inc(count),
  })
  let draining = false
  const app = Fastify({
    bodyLimit: limits.maxBody,
    logger: false,
    return503OnClosing: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, allowUnionTypes: true } },
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'lstm-lrp serve', version: packageVersion(), description: 'Explanations of an LSTM model over HTTP (docs/SERVE.md)' },
    },
  })

  // JSON only (text/plain and the rest get 415), with the parser's own message for malformed JSON.
  // Keys such as __proto__ stay plain own properties, and the strict schemas refuse them by name.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_, text, done) => {
    if (text.length === 0) return done(new LstmLrpError('E_REQUEST', 'the body is empty: send a JSON object'), undefined)
    try {
      done(null, JSON.parse(text as string))
    } catch (error) {
      done(new LstmLrpError('E_REQUEST', `malformed JSON: ${(error as Error).message}`), undefined)
    }
  })

  // While draining, requests still arriving on open connections are answered, each closing its connection.
  app.addHook('onRequest', async (_, reply) => {
    if (draining) reply.header('connection', 'close')
  })
  // While draining, a connection is closed as soon as it falls idle (its answers sent, nothing
  // pipelined behind them): a proxy's keep-alive connection would otherwise hold the process open
  // after SIGTERM until the keep-alive timeout, as closing the server closes only those idle then.
  app.addHook('onResponse', async () => {
    if (draining) setImmediate(() => app.server.closeIdleConnections())
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) })
    metrics.duration.observe({ route }, reply.elapsedTime / 1000)
  })
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A body method on an unknown route fails its body checks before the not-found handler runs.
    if (request.is404) return notFound(request, reply)
    if (error instanceof LstmLrpError) return sendError(reply, statusOf(error.code), error.code, error.message)
    if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      const { status, code, message } = requestError(error, request, limits)
      if (status === 413) discardRestOfBody(request, reply)
      return sendError(reply, status, code, message)
    }
    process.stderr.write(`lstm-lrp serve: internal error: ${error?.stack ?? String(error)}\n`)
    return sendError(reply, 500, 'E_INTERNAL', `internal error: ${error?.message ?? String(error)}`)
  })
  // A known path asked with another method is 405 with the methods it has, not 404.
  const methodsOf = new Map<string, Set<string>>()
  app.addHook('onRoute', ({ url, method }) => {
    const methods = methodsOf.get(url) ?? new Set<string>()
    for (const one of [method].flat()) methods.add(one)
    methodsOf.set(url, methods)
  })
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const allowed = methodsOf.get(request.url.split('?')[0])
    if (allowed === undefined) return sendError(reply, 404, 'E_NOT_FOUND', `no route ${request.method} ${request.url.slice(0, 200)}`)
    reply.header('allow', [...allowed].join(', '))
    return sendError(reply, 405, 'E_METHOD_NOT_ALLOWED', `${request.method.slice(0, 20)} is not allowed on ${request.url.split('?')[0]}: use ${[...allowed].join(' or ')}`)
  }
  app.setNotFoundHandler(notFound)

  const schemas = routeSchemas(limits, { inputSize: model.config.inputSize, outputs: model.config.head.outputs })
  const answer = (reply: FastifyReply, answers: Answer[], items: boolean) => {
    if (items) return sendJson(reply, 200, resultsJson(answers))
    const [only] = answers
    if ('json' in only) return sendJson(reply, 200, only.json)
    const body = errorBody(only.error)
    return sendError(reply, statusOf(body.error.code), body.error.code, body.error.message)
  }
  const bodiesOf = (body: RequestBody): { bodies: RequestBody[]; items: boolean } => (Array.isArray(body.items) ? { bodies: body.items as RequestBody[], items: true } : { bodies: [body], items: false })

  app.post('/v1/explain', { schema: schemas.explain }, async (request, reply) => {
    const { bodies, items } = bodiesOf(request.body as RequestBody)
    return answer(reply, await explainAnswers(model, batcher, bodies, modelFile, items), items)
  })
  app.post('/v1/predict', { schema: schemas.predict }, async (request, reply) => {
    const { bodies, items } = bodiesOf(request.body as RequestBody)
    return answer(reply, predictAnswers(model, bodies, items), items)
  })
  const summary = JSON.stringify(modelSummary(model, modelFile, limits))
  app.get('/v1/model', { schema: { summary: 'The model, its tokenizer, the backend and the limits', response: { 200: modelSummarySchema } } }, async (_, reply) => sendJson(reply, 200, summary))
  const status = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } }
  app.get('/healthz', { schema: { summary: 'The process is up', response: { 200: status } } }, async (_, reply) => sendJson(reply, 200, '{"status":"ok"}'))
  app.get('/readyz', { schema: { summary: 'The model is loaded and the server is not shutting down', response: { 200: status, 503: errorSchema } } }, async (_, reply) =>
    draining ? sendError(reply, 503, 'E_SHUTTING_DOWN', 'the server is shutting down') : sendJson(reply, 200, '{"status":"ready"}'),
  )
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
  app.get('/openapi.json', { schema: { summary: 'This document' } }, async () => app.swagger())
  await app.ready()

  return {
    app,
    async listen(host, port) {
      await app.listen({ host, port })
      const address = app.server.address()
      const actual = typeof address === 'object' && address !== null ? address.port : port
      return `http://${host.includes(':') ? `[${host}]` : host}:${actual}`
    },
    async close() {
      draining = true
      // Requests sent before the signal may not be read yet (a WASM prediction holds the event loop, and a
      // connection's bytes are read a round after it is accepted); closing now would reset them as idle.
      await new Promise((resolve) => setTimeout(resolve, UNREAD_REQUESTS_MS))
      await new Promise((resolve) => setImmediate(resolve))
      await app.close()
      await batcher.idle()
      metrics.stop()
      model.dispose()
    },
  }
}
