/**
 * Reading a whole model file, TF.js shard or hint file (Node) without trusting the path: only a
 * regular file, checked on the opened descriptor (a path checked and then opened could be swapped
 * in between), and no larger than a limit, so that /dev/zero, a FIFO or a huge file cannot make
 * a read that never ends or takes all memory.
 */
import { constants, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'

export interface ReadLimits {
  maxBytes: number
  /** Refuse a path whose last component is a symbolic link (the caller has resolved it already). */
  noFollow?: boolean
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory'
  if (info.isFIFO()) return 'a named pipe'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

/** The file's bytes; throws a plain Error whose message says what is wrong, for the caller to wrap. */
export async function readRegularFile(file: string, { maxBytes, noFollow = false }: ReadLimits): Promise<Uint8Array> {
  // O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer, forever.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0)
  const handle = await open(file, flags)
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new Error(`it is ${kindOf(info)}, not a regular file`)
    if (info.size > maxBytes) throw new Error(`it is ${info.size} bytes, over the limit of ${maxBytes}`)
    const bytes = new Uint8Array(info.size)
    let filled = 0
    // A file that grows while it is read is read up to its size when opened; one that shrinks, to its end.
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled)
  } finally {
    await handle.close()
  }
}
