/**
 * The output memory explainEach lends its callback: a call's results go into a buffer the model
 * kept from an earlier call, and once the callback is done with them the buffer is detached (its
 * views, wherever the caller kept them, become empty) and kept for the next call. Fresh output
 * memory for every batch (megabytes) is what makes explainBatch collect garbage; reused memory
 * needs neither allocation nor collection.
 */
import { takeSmallestFitting } from '../backend/explain-outputs.js'

/** Kept buffers hold at most this many bytes in all; a larger call's buffer is dropped after it. */
const KEPT_BYTES = 64 * 1024 * 1024
/** A new buffer is this much larger than asked, so the next call of about the same size fits it. */
const SLACK = 1.125
/** Buffers in flight at once: a batch runs one kernel call while its callback reads the last one's, and a call may be two (targets given to some items). */
const KEPT_BUFFERS = 4

export class LentOutputs {
  private kept: ArrayBuffer[] = []
  private closed = false

  /** A buffer of at least `bytes` bytes, holding whatever an earlier call left in it. */
  take(bytes: number): ArrayBuffer {
    return takeSmallestFitting(this.kept, bytes) ?? new ArrayBuffer(Math.ceil(bytes * SLACK))
  }

  /** Ends the loan: the caller's views of `buffer` become empty, and its memory is kept for a later call if it fits. */
  giveBack(buffer: ArrayBuffer): void {
    // A transfer moves the memory to a new ArrayBuffer without copying and detaches the old one.
    const moved = structuredClone(buffer, { transfer: [buffer] })
    if (this.closed) return
    // The latest first: a batch's next call is about the size of its last.
    const kept: ArrayBuffer[] = []
    let total = 0
    for (const candidate of [moved, ...this.kept])
      if (kept.length < KEPT_BUFFERS && total + candidate.byteLength <= KEPT_BYTES) {
        kept.push(candidate)
        total += candidate.byteLength
      }
    this.kept = kept
  }

  /** Lets the kept memory go and keeps none from now on (the model is disposed; its batches in flight still end their loans). */
  close(): void {
    this.closed = true
    this.kept = []
  }
}
