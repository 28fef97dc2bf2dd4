/**
 * A protobuf reader for onnx-proto's generated decoders that counts what it decodes and stops at a
 * budget. Decoding allocates an object for each message, string, byte field and 64-bit integer, many
 * times the bytes they take in the file (an empty node is two bytes), so the file size alone does
 * not bound the heap: the count does. Fixed-width numbers (float data) are not counted: they take
 * no more memory decoded than twice their bytes.
 */
import { createRequire } from 'node:module'

interface ProtobufReader {
  uint32(): number
  int32(): number
  int64(): unknown
  uint64(): unknown
  string(): string
  bytes(): Uint8Array
}

/** Up to this many tags, lengths, strings and integers: far more than any LSTM export, a few hundred MB of heap at most. */
export const MAX_DECODED_VALUES = 2_000_000

export class DecodeBudgetExceeded extends Error {}

// The protobufjs that onnx-proto itself loads: its decoders accept only instances of its Reader.
const requireFromOnnxProto = createRequire(createRequire(import.meta.url).resolve('onnx-proto'))
const { Reader } = requireFromOnnxProto('protobufjs/minimal') as { Reader: new (buffer: Uint8Array) => ProtobufReader }

export class CountingReader extends Reader {
  private remaining = MAX_DECODED_VALUES

  private spend(): void {
    if (--this.remaining < 0) throw new DecodeBudgetExceeded()
  }

  uint32(): number {
    this.spend()
    return super.uint32()
  }

  int32(): number {
    this.spend()
    return super.int32()
  }

  int64(): unknown {
    this.spend()
    return super.int64()
  }

  uint64(): unknown {
    this.spend()
    return super.uint64()
  }

  string(): string {
    this.spend()
    return super.string()
  }

  bytes(): Uint8Array {
    this.spend()
    return super.bytes()
  }
}
