/**
 * Coalesces concurrent explanations that share options into one explainBatchSettled call: a batch
 * goes when it holds --max-batch items or its first item has waited --max-wait-ms, one call at a
 * time (each spreads over the kernel's threads). An invalid item never enters a call and never
 * changes anyone else's answer. The queue is bounded (E_OVERLOADED), and a request past its deadline
 * is answered E_TIMEOUT; if it was still queued its items are dropped, never computed.
 */
import type { Model } from '../model/model.js'
import type { BatchItem, ExplainOptions, SettledExplanation } from '../explain/types.js'
import { LstmLrpError } from '../errors.js'

export interface BatcherSettings {
  maxBatch: number
  maxWaitMs: number
  maxQueue: number
  timeoutMs: number
  /** Most work (lib/serve/work.ts) in one kernel call; a call holds at least one item. */
  maxWork: number
}

export interface BatcherEvents {
  /** Items in each kernel call. */
  onBatch?(size: number): void
  onQueueDepth?(depth: number): void
  /** Explanations computed (items that failed are not counted). */
  onExplained?(count: number): void
}

interface Entry {
  item: BatchItem
  /** What it costs the kernel (lib/serve/work.ts). */
  work: number
  /** Its place among its request's items. */
  index: number
  request: Pending
  key: string
  group: Group
  /** performance.now() when it was queued. */
  arrived: number
}

interface Pending {
  outcomes: SettledExplanation[]
  left: number
  /** Set once the request is answered (all outcomes, or its deadline passed): later outcomes are dropped. */
  done: boolean
  queued: Set<Entry>
  resolve(outcomes: SettledExplanation[]): void
  reject(error: LstmLrpError): void
  timer: NodeJS.Timeout
  /** performance.now() past which it is answered E_TIMEOUT: a kernel call that blocks the event loop (WASM without workers) can outlast the timer. */
  deadline: number
}

interface Group {
  options: ExplainOptions
  entries: Entry[]
}

export class Batcher {
  private readonly groups = new Map<string, Group>()
  private depth = 0
  private running = false
  private wakeTimer: NodeJS.Timeout | null = null
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly model: Model,
    private readonly settings: BatcherSettings,
    private readonly events: BatcherEvents = {},
  ) {}

  get queueDepth(): number {
    return this.depth
  }

  get maxWork(): number {
    return this.settings.maxWork
  }

  /** Explains the items of one request with the options `key` stands for; one outcome per item, in order. works: each item's cost. */
  explain(key: string, options: ExplainOptions, items: BatchItem[], works: number[]): Promise<SettledExplanation[]> {
    if (this.depth + items.length > this.settings.maxQueue)
      return Promise.reject(new LstmLrpError('E_OVERLOADED', `the queue is full (${this.depth} explanations waiting, at most ${this.settings.maxQueue}); retry shortly`))
    return new Promise((resolve, reject) => {
      const request: Pending = {
        outcomes: new Array(items.length),
        left: items.length,
        done: false,
        queued: new Set(),
        resolve,
        reject,
        timer: setTimeout(() => this.expire(request), this.settings.timeoutMs),
        deadline: performance.now() + this.settings.timeoutMs,
      }
      const arrived = performance.now()
      let group = this.groups.get(key)
      if (group === undefined) {
        group = { options, entries: [] }
        this.groups.set(key, group)
      }
      for (const [index, item] of items.entries()) {
        const entry = { item, work: works[index], index, request, key, group, arrived }
        group.entries.push(entry)
        request.queued.add(entry)
      }
      this.setDepth(this.depth + items.length)
      this.pump()
    })
  }

  /** Resolves once nothing is queued or running (shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.depth === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private setDepth(depth: number): void {
    this.depth = depth
    this.events.onQueueDepth?.(depth)
  }

  private expire(request: Pending): void {
    if (request.done) return
    request.done = true
    // Items still queued are dropped, never computed; those in a running call finish unseen.
    for (const entry of request.queued) {
      const { group } = entry
      group.entries.splice(group.entries.indexOf(entry), 1)
      if (group.entries.length === 0 && this.groups.get(entry.key) === group) this.groups.delete(entry.key)
    }
    this.setDepth(this.depth - request.queued.size)
    request.queued.clear()
    request.reject(new LstmLrpError('E_TIMEOUT', `not answered within --timeout-ms ${this.settings.timeoutMs}`))
    this.notifyIdle()
  }

  /**
   * The group waiting longest runs next, once it is full or has waited --max-wait-ms. Right after a
   * call nothing waits: what queued during the call is already a batch, and closed-loop clients
   * send nothing more until they are answered.
   */
  private pump(afterCall = false): void {
    if (this.running) return
    const now = performance.now()
    for (const group of Array.from(this.groups.values())) for (const request of new Set(group.entries.map((entry) => entry.request))) if (request.deadline <= now) this.expire(request)
    let oldest: [string, Group] | undefined
    for (const entry of this.groups) if (oldest === undefined || entry[1].entries[0].arrived < oldest[1].entries[0].arrived) oldest = entry
    if (oldest === undefined) return this.notifyIdle()
    const [key, group] = oldest
    const waited = now - group.entries[0].arrived
    const length = this.callLength(group.entries)
    if (!afterCall && length === group.entries.length && length < this.settings.maxBatch && waited < this.settings.maxWaitMs) {
      if (this.wakeTimer === null)
        this.wakeTimer = setTimeout(() => {
          this.wakeTimer = null
          this.pump()
        }, this.settings.maxWaitMs - waited)
      return
    }
    const batch = group.entries.splice(0, length)
    if (group.entries.length === 0) this.groups.delete(key)
    for (const entry of batch) entry.request.queued.delete(entry)
    this.setDepth(this.depth - batch.length)
    this.running = true
    void this.run(group.options, batch)
  }

  /** How many of the entries, from the first, one call takes: at most --max-batch, and no more work than --max-work beyond the first. */
  private callLength(entries: Entry[]): number {
    let work = entries[0].work
    let length = 1
    while (length < entries.length && length < this.settings.maxBatch && work + entries[length].work <= this.settings.maxWork) work += entries[length++].work
    return length
  }

  private async run(options: ExplainOptions, batch: Entry[]): Promise<void> {
    this.events.onBatch?.(batch.length)
    let outcomes: SettledExplanation[]
    try {
      outcomes = await this.model.explainBatchSettled(
        batch.map((entry) => entry.item),
        options,
      )
    } catch (error) {
      const failure = error instanceof LstmLrpError ? error : new LstmLrpError('E_INTERNAL', `internal error: ${String((error as Error)?.message ?? error)}`)
      outcomes = batch.map(() => ({ error: failure }))
    }
    this.events.onExplained?.(outcomes.filter((outcome) => outcome.explanation !== undefined).length)
    batch.forEach((entry, n) => this.settle(entry, outcomes[n]))
    this.running = false
    this.pump(true)
  }

  private settle(entry: Entry, outcome: SettledExplanation): void {
    const { request } = entry
    if (request.done) return
    request.outcomes[entry.index] = outcome
    if (--request.left > 0) return
    if (performance.now() >= request.deadline) return this.expire(request)
    request.done = true
    clearTimeout(request.timer)
    request.resolve(request.outcomes)
  }

  private notifyIdle(): void {
    if (this.running || this.depth > 0) return
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }
}
