/** `lstm-lrp serve`: the model behind HTTP (docs/SERVE.md); fastify and its plugins load only for this command. */
import { Command } from 'commander'
import { backendOption, dtypeOption, modelOption } from './model-flags.js'
import { loadModel } from '../model/load.js'
import { defaultModelPath } from '../model/default-model.js'
import { DEFAULT_LIMITS, limitsOf, type LimitFlags } from '../serve/limits.js'
import { integerFlag } from './number-flags.js'
import { UsageError } from './usage.js'

interface ServeFlags extends LimitFlags {
  model?: string
  host: string
  port: string
  threads?: string
  backend?: 'auto' | 'native' | 'wasm'
  dtype?: 'f32' | 'f64'
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const
const MAX_PORT = 65535

async function runServe(flags: ServeFlags): Promise<void> {
  const limits = limitsOf(flags)
  const port = integerFlag(flags.port, '--port', 0)
  if (port > MAX_PORT) throw new UsageError(`--port must be in [0, ${MAX_PORT}]; got ${flags.port}`)
  const threads = flags.threads === undefined ? undefined : integerFlag(flags.threads, '--threads', 1)
  const modelFile = flags.model ?? defaultModelPath()
  const model = await loadModel(modelFile, { backend: flags.backend, dtype: flags.dtype, threads })
  const { buildService } = await import('../serve/server.js')
  const service = await buildService(model, { limits, modelFile })
  const url = await service.listen(flags.host, port)
  // The CLI's own signal handlers end the process at once; a server first answers what it has.
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal)
    // A second signal while draining falls through to the default: the process ends.
    process.once(signal, () => {
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`lstm-lrp serve: shutting down: ${String((error as Error)?.message ?? error)}\n`)
          process.exit(1)
        },
      )
    })
  }
  process.stdout.write(`listening on ${url}\n`)
}

export function serveCommand(): Command {
  const defaults = DEFAULT_LIMITS
  return new Command('serve')
    .description('Serve explanations and predictions over HTTP: POST /v1/explain, POST /v1/predict, GET /v1/model, /healthz, /readyz, /metrics, /openapi.json (docs/SERVE.md)')
    .addOption(modelOption())
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one (the printed URL has it)', '8080')
    .option('--max-body <size>', 'largest request body (b, kb, mb); larger ones get 413 without being read', '1mb')
    .option('--max-steps <n>', 'most tokens or rows of x in one input (text: 16 characters a step)', String(defaults.maxSteps))
    .option('--max-items <n>', 'most items in one {"items": [...]} request', String(defaults.maxItems))
    .option('--max-batch <n>', 'most explanations in one kernel call', String(defaults.maxBatch))
    .option('--max-wait-ms <ms>', 'how long a batch waits for more requests with the same options', String(defaults.maxWaitMs))
    .option('--max-queue <n>', 'most explanations waiting; more get 503 with Retry-After', String(defaults.maxQueue))
    .option('--timeout-ms <ms>', 'a request unanswered after this long gets 504 (still queued: dropped, never computed)', String(defaults.timeoutMs))
    .option('--max-work <n>', 'most work in one request and one kernel call: steps times passes (occlusion T + 1, per-step cd T, integrated gradients its points)', String(defaults.maxWork))
    .option('--threads <n>', 'threads per batch: kernel threads natively, worker threads on WebAssembly (default: the core count, at most 8 on WebAssembly)')
    .addOption(backendOption())
    .addOption(dtypeOption())
    .addHelpText(
      'after',
      '\nPrints "listening on http://HOST:PORT" once ready; SIGTERM or SIGINT stops accepting, answers every request in flight and exits 0.' +
        '\n\nExamples:\n  lstm-lrp serve --port 8080' +
        '\n  curl -s localhost:8080/v1/explain -H "content-type: application/json" -d \'{"text": "A gorgeous, witty film."}\'' +
        '\n  curl -s localhost:8080/v1/explain -H "content-type: application/json" -d \'{"items": [{"text": "Not bad."}, {"tokens": ["a", "dull", "film"], "method": "gradient"}]}\'' +
        '\n  lstm-lrp serve --model examples/toy-addition.safetensors --port 0 --max-body 256kb --timeout-ms 5000',
    )
    .action(runServe)
}
