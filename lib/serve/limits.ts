/** The service's limits and batching settings, from `lstm-lrp serve`'s flags: checked, with one-line errors. */
import { excerpt } from '../describe-value.js'
import { UsageError } from '../cli/usage.js'
import { integerFlag } from '../cli/number-flags.js'

export interface ServeLimits {
  /** Largest request body in bytes: a larger one gets 413 without being read into memory. */
  maxBody: number
  /** Most steps (tokens, rows of x) in one input; text is at most 16 characters a step. */
  maxSteps: number
  /** Most items in one { "items": [...] } request. */
  maxItems: number
  /** Most items in one kernel call. */
  maxBatch: number
  /** How long the first item of a batch waits for others with the same options. */
  maxWaitMs: number
  /** Most explanations waiting; a request that would pass it gets 503. */
  maxQueue: number
  /** A request unanswered after this long gets 504; one still queued is dropped, never computed. */
  timeoutMs: number
  /** Most work (steps times the method's passes, lib/serve/work.ts) in one request and in one kernel call. */
  maxWork: number
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxBody: 1024 * 1024,
  maxSteps: 1000,
  maxItems: 256,
  maxBatch: 256,
  maxWaitMs: 2,
  maxQueue: 4096,
  timeoutMs: 30_000,
  maxWork: 1_000_000,
}

/** Characters of text per allowed step: room for words and spaces, bounded so text cannot outgrow --max-steps by much. */
export const TEXT_CHARACTERS_PER_STEP = 16

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i

/** A byte size like 1mb, 512kb, 100b or 2048 (bytes); 1kb is 1024 bytes. */
export function byteSize(value: string, flag: string): number {
  const match = SIZE.exec(value.trim())
  if (match === null) throw new UsageError(`${flag} must be a size like 1mb, 512kb or 2048 (bytes); got '${excerpt(value)}'`)
  const bytes = Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()])
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`${flag} must be at least 1 byte; got '${excerpt(value)}'`)
  return bytes
}

export interface LimitFlags {
  maxBody: string
  maxSteps: string
  maxItems: string
  maxBatch: string
  maxWaitMs: string
  maxQueue: string
  timeoutMs: string
  maxWork: string
}

/** Timers take at most 2^31 - 1 ms (about 24 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

function milliseconds(value: string, flag: string, minimum: number): number {
  const ms = integerFlag(value, flag, minimum)
  if (ms > MAX_TIMER_MS) throw new UsageError(`${flag} must be at most ${MAX_TIMER_MS}; got ${value}`)
  return ms
}

export function limitsOf(flags: LimitFlags): ServeLimits {
  return {
    maxBody: byteSize(flags.maxBody, '--max-body'),
    maxSteps: integerFlag(flags.maxSteps, '--max-steps', 1),
    maxItems: integerFlag(flags.maxItems, '--max-items', 1),
    maxBatch: integerFlag(flags.maxBatch, '--max-batch', 1),
    maxWaitMs: milliseconds(flags.maxWaitMs, '--max-wait-ms', 0),
    maxQueue: integerFlag(flags.maxQueue, '--max-queue', 1),
    timeoutMs: milliseconds(flags.timeoutMs, '--timeout-ms', 1),
    maxWork: integerFlag(flags.maxWork, '--max-work', 1),
  }
}
