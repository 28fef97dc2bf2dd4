/**
 * Where the arrays of short calls live (their results, and the copies of their inputs that the kernel
 * reads): consecutive regions of shared slabs, as Node's Buffer pool does for small Buffers. A typed
 * array of more than 64 bytes gets an ArrayBuffer of its own, allocated and later swept outside the
 * JavaScript heap, which costs about 0.6 µs, a noticeable share of a short sequence's explanation; a
 * view of a region costs a few ns. A region is handed out once, so it starts as zeros; a slab lives as
 * long as any array that uses it.
 */
const SLAB_BYTES = 64 * 1024
/** Larger results get a buffer of their own, so a kept result never holds much memory it does not use. */
const OWN_BUFFER_BYTES = SLAB_BYTES / 4
const ALIGNMENT = 8
/**
 * Larger outputs are zeroed: memory this large comes fresh from the system, zeroed already, under
 * the common allocators (glibc maps it), so leaving it unzeroed saves nothing; and Node 20 refuses
 * unzeroed Buffers beyond 4 GiB.
 */
const UNZEROED_MAX_BYTES = 32 * 1024 * 1024

type Region = { buffer: ArrayBuffer; offset: number }

let slab = new ArrayBuffer(SLAB_BYTES)
let used = 0

/** A zeroed region of `bytes` bytes, 8-byte aligned: its buffer and offset. */
export function resultRegion(bytes: number): Region {
  if (bytes > OWN_BUFFER_BYTES) return { buffer: new ArrayBuffer(bytes), offset: 0 }
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES)
    used = 0
  }
  const offset = used
  used += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT
  return { buffer: slab, offset }
}

/** Node's Buffer, whose allocUnsafeSlow hands out memory nobody zeroed; absent in browsers. */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer

/**
 * A region for a kernel call's outputs, which the kernel overwrites byte for byte (docs/METHODS.md §
 * Errors and lifetime). One with a buffer of its own takes memory nobody zeroed where the runtime
 * offers it (Node): zeroing the megabytes of a batch's results first, as every ArrayBuffer is, cost
 * explainBatch a few per cent. A slab's region stays zeroed: the rest of its slab, which the
 * region's views expose through their buffer, must show nothing of what the memory held before.
 */
export function outputRegion(bytes: number): Region {
  if (bytes <= OWN_BUFFER_BYTES || bytes > UNZEROED_MAX_BYTES || nodeBuffer === undefined) return resultRegion(bytes)
  const memory = nodeBuffer.allocUnsafeSlow(bytes)
  return { buffer: memory.buffer as ArrayBuffer, offset: memory.byteOffset }
}

type TypedArrayType<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number }

/** A zeroed typed array of `length` elements in a region of its own. */
export function slabArray<T>(Type: TypedArrayType<T>, length: number): T {
  const { buffer, offset } = resultRegion(length * Type.BYTES_PER_ELEMENT)
  return new Type(buffer, offset, length)
}
