/**
 * A WASM model's batch calls on workers: each worker runs its own module instance with its own copy
 * of the model, and a call is split into runs of whole sequences, sized by steps and shrinking
 * towards the call's end, which the workers take in turn and whose results are written back in place. The kernel explains each sequence alone, so the results are those of
 * one call on the calling thread, bit for bit.
 */
import type { KernelBatch, KernelExplainOptions, KernelExplainOutputs, KernelModelDesc } from './types.js'
import type { WasmWorkers, WorkerError, WorkerPort, WorkerReply, WorkerRequest } from './wasm-workers.js'
import { CONSERVATION_FIELDS } from './codes.js'
import { LstmLrpError } from '../errors.js'

/** A run of whole sequences: its first sequence, step and score row, and how many of each. */
interface Part {
  first: number
  count: number
  firstStep: number
  steps: number
  firstRow: number
  rows: number
}

interface Pending {
  worker: number
  resolve(reply: WorkerReply): void
  reject(error: Error): void
}

/**
 * The smallest part of a call, as a share of its steps. Workers take parts in turn as they finish,
 * so a worker slowed by other load (this thread among it) does not hold up the call, and the parts
 * shrink towards the end of the call (partShares), so the workers finish it within a small part of
 * each other instead of one idling while another runs a large last part.
 */
const SMALLEST_PART = 1 / 64
/** Parts queued on each worker at a time, so it starts the next while this thread takes in the last. */
const PARTS_IN_FLIGHT = 2

type ExplainCall = Omit<Extract<WorkerRequest, { kind: 'explain' }>, 'kind' | 'id' | 'spare'>

/** What splitting a call needs to know of the model. */
export interface PoolLayout {
  inputSize: number
  outputs: number
  readoutLast: boolean
}

/**
 * The shares of a call's steps that its parts take, in order, for `workers` workers: each part half
 * of what is left per worker (guided self-scheduling), and none less than SMALLEST_PART.
 */
export function partShares(workers: number): number[] {
  const shares: number[] = []
  let left = 1
  while (left > SMALLEST_PART / 2) {
    const share = Math.min(left, Math.max(left / (2 * workers), SMALLEST_PART))
    shares.push(share)
    left -= share
  }
  return shares
}

/**
 * Splits sequences into runs of whole sequences whose steps follow `shares` (relative sizes, in
 * order), each of at least one sequence: at most as many runs as shares.
 */
export function splitBySteps(lengths: Int32Array, shares: number[], readoutLast: boolean): Part[] {
  const count = lengths.length
  const total = lengths.reduce((sum, length) => sum + length, 0)
  const parts = Math.min(shares.length, count)
  const used = shares.slice(0, parts)
  const whole = used.reduce((sum, share) => sum + share, 0)
  const result: Part[] = []
  let first = 0
  let firstStep = 0
  let reached = 0
  for (let k = 0; k < parts; k++) {
    reached += used[k]
    const goal = k === parts - 1 ? total : (total * reached) / whole
    // Leave at least one sequence for each later part.
    const last = count - (parts - k - 1)
    let end = first + 1
    let endStep = firstStep + lengths[first]
    while (end < last && endStep + lengths[end] / 2 <= goal) endStep += lengths[end++]
    result.push({
      first,
      count: end - first,
      firstStep,
      steps: endStep - firstStep,
      firstRow: readoutLast ? first : firstStep,
      rows: readoutLast ? end - first : endStep - firstStep,
    })
    first = end
    firstStep = endStep
  }
  return result
}

/** The kernel's result checks in the order it runs them (native/explain/explain.cc). */
const CHECKED_RESULTS = ['score', 'input relevance', 'per-step relevance', 'summary']

/**
 * Where an error sits in one call's order of checks: input and memory errors stop a call before
 * any result, and an overflow is reported for the first result checked, over all sequences.
 */
function checkOrder(error: WorkerError): number {
  if (error.code !== 'E_NUMERIC') return -1
  const name = / the (.+?) is /.exec(error.message)?.[1] ?? ''
  const found = CHECKED_RESULTS.findIndex((result) => name.startsWith(result))
  return found === -1 ? CHECKED_RESULTS.length : found
}

/** The error one call over the whole batch raises: the first in the kernel's order, its sequence counted from the batch's start. */
export function batchError(replies: WorkerReply[], parts: Part[]): LstmLrpError | null {
  let chosen: { error: WorkerError; part: Part } | null = null
  replies.forEach(({ error }, k) => {
    if (error !== null && (chosen === null || checkOrder(error) < checkOrder(chosen.error))) chosen = { error, part: parts[k] }
  })
  if (chosen === null) return null
  const { error, part } = chosen as { error: WorkerError; part: Part }
  const message = error.message.replace(/^sequence (\d+)/, (_, n: string) => `sequence ${Number(n) + part.first}`)
  return new LstmLrpError(error.code, message)
}

/** The workers could not start (say, a bundle that did not ship the worker's script): the model runs its calls on the calling thread instead. */
export class WorkersUnavailable extends Error {}

export class WasmWorkerPool {
  private readonly ports: WorkerPort[] = []
  private readonly busy: number[] = []
  /** How each call is split among the workers (partShares). */
  private readonly shares: number[]
  private readonly pending = new Map<number, Pending>()
  /** Per worker, the buffers of its replies already copied, which its next request hands back. */
  private readonly spare: ArrayBuffer[][] = []
  private nextId = 0
  /** Whether a worker has answered a call: a failure before that means the workers cannot start. */
  private answered = false
  /** Set when a worker failed or the pool was terminated: the model then starts a new pool. */
  broken = false

  /** Starts `size` workers, each loading `desc` on the module's `isa` (the calling thread's SIMD level). */
  constructor(
    workers: WasmWorkers,
    size: number,
    private readonly layout: PoolLayout,
    desc: KernelModelDesc,
    isa: string,
  ) {
    this.shares = partShares(size)
    for (let k = 0; k < size; k++) {
      const port = workers.spawn({
        reply: (reply) => this.settle(reply),
        failure: (error) => this.terminate(this.answered ? new LstmLrpError('E_KERNEL', `a WASM worker failed: ${error.message}`) : new WorkersUnavailable(error.message)),
      })
      port.hold(false)
      port.post({ kind: 'init', module: workers.module, isa, desc }, [])
      this.ports.push(port)
      this.busy.push(0)
      this.spare.push([])
    }
  }

  async explain(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, outputs: KernelExplainOutputs): Promise<void> {
    const parts = splitBySteps(batch.lengths, this.shares, this.layout.readoutLast)
    const replies: WorkerReply[] = []
    let next = 0
    // Each worker takes the next part as it finishes one, with a second queued so it never waits for this thread.
    const serve = async (worker: number) => {
      while (next < parts.length) {
        const k = next++
        replies[k] = await this.request(worker, this.partCall(batch, options, targetWeights, parts[k], outputs.scores instanceof Float64Array))
        // As on the calling thread, an overflow comes back with every output written, so each sequence's own can be checked.
        this.writeBack(replies[k].outputs, parts[k], outputs)
        this.spare[worker].push(replies[k].outputs.conservation.buffer as ArrayBuffer)
      }
    }
    const served = await Promise.allSettled(this.ports.flatMap((_, worker) => Array.from({ length: PARTS_IN_FLIGHT }, () => serve(worker))))
    const failed = served.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    const error = batchError(replies, parts)
    if (error !== null) throw error
  }

  private partCall(batch: KernelBatch, options: KernelExplainOptions, targetWeights: Float64Array | null, part: Part, double: boolean): ExplainCall {
    const { inputSize, outputs: classes } = this.layout
    return {
      batch: {
        lengths: batch.lengths.slice(part.first, part.first + part.count),
        tokens: batch.tokens?.slice(part.firstStep, part.firstStep + part.steps) ?? null,
        inputs: batch.inputs?.slice(part.firstStep * inputSize, (part.firstStep + part.steps) * inputSize) ?? null,
      },
      options,
      targetWeights: targetWeights?.slice(part.firstRow * classes, (part.firstRow + part.rows) * classes) ?? null,
      sizes: {
        scores: part.rows * classes,
        relevance: part.steps * inputSize,
        perStep: part.steps,
        conservation: part.count * CONSERVATION_FIELDS,
        targets: part.count,
      },
      double,
    }
  }

  private writeBack(part: KernelExplainOutputs, { first, firstStep, firstRow }: Part, outputs: KernelExplainOutputs): void {
    const { inputSize, outputs: classes } = this.layout
    outputs.scores.set(part.scores, firstRow * classes)
    outputs.relevance.set(part.relevance, firstStep * inputSize)
    outputs.perStep.set(part.perStep, firstStep)
    outputs.conservation.set(part.conservation, first * CONSERVATION_FIELDS)
    outputs.targets.set(part.targets, first)
  }

  private request(worker: number, call: ExplainCall): Promise<WorkerReply> {
    if (this.broken) return Promise.reject(new LstmLrpError('E_DISPOSED', 'the model has been disposed'))
    const port = this.ports[worker]
    const id = this.nextId++
    const spare = this.spare[worker].splice(0)
    const transfer = [...spare, ...[call.batch.lengths, call.batch.tokens, call.batch.inputs, call.targetWeights].flatMap((array) => (array === null ? [] : [array.buffer as ArrayBuffer]))]
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject })
      if (this.busy[worker]++ === 0) port.hold(true)
      port.post({ kind: 'explain', id, ...call, spare }, transfer)
    })
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (pending === undefined) return
    this.pending.delete(reply.id)
    this.answered = true
    this.release(pending.worker)
    pending.resolve(reply)
  }

  private release(worker: number): void {
    if (--this.busy[worker] === 0) this.ports[worker]?.hold(false)
  }

  /** Ends every worker; calls still waiting reject with `error`. */
  terminate(error: Error = new LstmLrpError('E_DISPOSED', 'the model has been disposed')): void {
    if (this.broken) return
    this.broken = true
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
    for (const port of this.ports) port.terminate()
  }
}
