/**
 * Where the arrays of short explanations live: consecutive regions of shared slabs, as Node's Buffer
 * pool does for small Buffers. An ArrayBuffer is allocated and later swept outside the JavaScript heap,
 * which costs a few microseconds, a noticeable share of a short sequence's explanation. A region is
 * handed out once, so it starts as zeros; a slab lives as long as any result that uses it.
 */
const SLAB_BYTES = 64 * 1024
/** Larger results get a buffer of their own, so a kept result never holds much memory it does not use. */
const OWN_BUFFER_BYTES = SLAB_BYTES / 4
const ALIGNMENT = 8

let slab = new ArrayBuffer(SLAB_BYTES)
let used = 0

/** A zeroed region of `bytes` bytes, 8-byte aligned: its buffer and offset. */
export function resultRegion(bytes: number): { buffer: ArrayBuffer; offset: number } {
  if (bytes > OWN_BUFFER_BYTES) return { buffer: new ArrayBuffer(bytes), offset: 0 }
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES)
    used = 0
  }
  const offset = used
  used += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT
  return { buffer: slab, offset }
}
