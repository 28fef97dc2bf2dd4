/**
 * Where the arrays of short calls live (their results, and the copies of their inputs that the kernel
 * reads): consecutive regions of shared slabs, as Node's Buffer pool does for small Buffers. A typed
 * array of more than 64 bytes gets an ArrayBuffer of its own, allocated and later swept outside the
 * JavaScript heap, which costs about 0.6 µs, a noticeable share of a short sequence's explanation; a
 * view of a region costs a few ns. A region is handed out once; a slab lives as long as any array
 * that uses it.
 */
const SLAB_BYTES = 64 * 1024
/** Larger results get a buffer of their own, so a kept result never holds much memory it does not use. */
const OWN_BUFFER_BYTES = SLAB_BYTES / 4
const ALIGNMENT = 8

type Region = { buffer: ArrayBuffer; offset: number }

/** Node's Buffer, whose allocUnsafeSlow hands out memory nobody zeroed; absent in browsers. */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer

function zeroedMemory(bytes: number): Region {
  return { buffer: new ArrayBuffer(bytes), offset: 0 }
}

/**
 * Larger regions are zeroed: memory this large comes fresh from the system, zeroed already, under
 * the common allocators (glibc maps it), so leaving it unzeroed saves nothing; and Node refuses
 * unzeroed Buffers beyond 4 GiB.
 */
const UNZEROED_MAX_BYTES = 32 * 1024 * 1024

function unzeroedMemory(bytes: number): Region {
  if (nodeBuffer === undefined || bytes > UNZEROED_MAX_BYTES) return zeroedMemory(bytes)
  const memory = nodeBuffer.allocUnsafeSlow(bytes)
  return { buffer: memory.buffer as ArrayBuffer, offset: memory.byteOffset }
}

class Slabs {
  private slab: Region | null = null
  private used = 0

  constructor(private readonly memory: (bytes: number) => Region) {}

  region(bytes: number): Region {
    if (bytes > OWN_BUFFER_BYTES) return this.memory(bytes)
    if (this.slab === null || this.used + bytes > SLAB_BYTES) {
      this.slab = this.memory(SLAB_BYTES)
      this.used = 0
    }
    const offset = this.slab.offset + this.used
    this.used += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT
    return { buffer: this.slab.buffer, offset }
  }
}

const zeroed = new Slabs(zeroedMemory)
const overwritten = new Slabs(unzeroedMemory)

/** A zeroed region of `bytes` bytes, 8-byte aligned: its buffer and offset. */
export function resultRegion(bytes: number): Region {
  return zeroed.region(bytes)
}

/**
 * A region for a kernel call's outputs, which the kernel overwrites byte for byte (docs/METHODS.md §
 * Errors and lifetime), in memory nobody zeroed where the runtime offers it (Node): zeroing the
 * megabytes of a batch's results first, as every ArrayBuffer is, cost explainBatch about 5 % on
 * the shipped model.
 */
export function outputRegion(bytes: number): Region {
  return overwritten.region(bytes)
}

type TypedArrayType<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number }

/** A zeroed typed array of `length` elements in a region of its own. */
export function slabArray<T>(Type: TypedArrayType<T>, length: number): T {
  const { buffer, offset } = resultRegion(length * Type.BYTES_PER_ELEMENT)
  return new Type(buffer, offset, length)
}
