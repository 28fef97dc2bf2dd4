/**
 * Reading and writing the safetensors container (docs/METHODS.md § Model file): an 8-byte little-endian
 * header length N, N bytes of UTF-8 JSON, then the data buffer.
 *
 * Files are untrusted (docs/METHODS.md § Model file): everything the header claims is checked against the
 * file before any tensor memory is touched, and nothing is allocated beyond the file's size.
 * We are as strict as the reference safetensors library: the tensors must tile the data
 * buffer exactly — sorted by offset they start at 0, follow each other without gaps or
 * overlaps, and the last one ends at the end of the file (no trailing bytes).
 */
import { fail } from '../errors.js'
import type { DType, FloatArray, Tensor } from './types.js'

export interface SafetensorsContents {
  metadata: Record<string, string>
  tensors: Map<string, Tensor>
}

export interface SafetensorsLimits {
  /** Largest JSON header accepted, in bytes (default 16 MiB). */
  maxHeaderBytes?: number
}

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024 * 1024

const METADATA_KEY = '__metadata__'
const HEADER_LENGTH_BYTES = 8
const TENSOR_ENTRY_KEYS = ['dtype', 'shape', 'data_offsets']

interface DTypeInfo {
  dtype: DType
  bytes: number
}

const FILE_DTYPES: Record<string, DTypeInfo> = {
  F32: { dtype: 'f32', bytes: 4 },
  F64: { dtype: 'f64', bytes: 8 },
}

const FILE_DTYPE_NAMES: Record<DType, string> = { f32: 'F32', f64: 'F64' }

// Tensor data is reinterpreted in place, so the host's byte order must be the file's.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function assertLittleEndianHost(): void {
  if (!HOST_IS_LITTLE_ENDIAN) {
    fail('E_PLATFORM', 'lstm-lrp supports only little-endian hosts; this host is big-endian')
  }
}

function fileError(message: string): never {
  fail('E_MODEL_FILE', `safetensors: ${message}`)
}

/** JSON text of an untrusted value, cut short so a hostile header cannot flood error messages. */
export function excerpt(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : excerpt(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON path as keys and array indices, e.g. ["layers", 0, "hiddenSize"]. */
export type JsonPath = (string | number)[]

export function formatJsonPath(root: string, path: JsonPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${part}`), root)
}

/**
 * The path of the first key that occurs twice in one object of valid JSON `text`, or
 * undefined. JSON.parse silently keeps the last duplicate, which would let a file say two
 * different things about one tensor; this scan makes that an error.
 */
export function findDuplicateJsonKey(text: string): JsonPath | undefined {
  // Each frame links to its parent instead of copying its path: a copied path costs
  // O(depth²) memory, which let a deeply nested header of a few hundred KB exhaust the heap.
  interface Frame {
    keys: Set<string> | undefined // undefined for arrays
    parent: Frame | undefined
    key: string | number // this frame's key or index in its parent
    expectingKey: boolean
    lastKey: string
    index: number // of the current array element
  }
  const pathOf = (frame: Frame): JsonPath => {
    const path: JsonPath = []
    for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent) path.push(at.key)
    return path.reverse()
  }
  const stack: Frame[] = []
  for (let pos = 0; pos < text.length; pos++) {
    const char = text[pos]
    const top = stack[stack.length - 1]
    if (char === '"') {
      const start = pos
      for (pos++; text[pos] !== '"'; pos++) if (text[pos] === '\\') pos++
      if (top?.keys !== undefined && top.expectingKey) {
        const key = JSON.parse(text.slice(start, pos + 1)) as string
        if (top.keys.has(key)) return [...pathOf(top), key]
        top.keys.add(key)
        top.lastKey = key
        top.expectingKey = false
      }
    } else if (char === '{' || char === '[') {
      const key = top === undefined ? '' : top.keys ? top.lastKey : top.index
      const isObject = char === '{'
      stack.push({ keys: isObject ? new Set() : undefined, parent: top, key, expectingKey: isObject, lastKey: '', index: 0 })
    } else if (char === '}' || char === ']') {
      stack.pop()
    } else if (char === ',' && top !== undefined) {
      top.expectingKey = top.keys !== undefined
      top.index++
    }
  }
  return undefined
}

function parseHeaderJson(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes)
  } catch {
    fileError('header is not valid UTF-8')
  }
  let header: unknown
  try {
    header = JSON.parse(text)
  } catch (error) {
    fileError(`header is not valid JSON (${(error as Error).message})`)
  }
  if (!isPlainObject(header)) fileError(`header must be a JSON object, got ${describe(header)}`)
  const duplicate = findDuplicateJsonKey(text)
  if (duplicate !== undefined) {
    fileError(duplicate.length === 1 ? `duplicate tensor name ${excerpt(duplicate[0])} in header` : `duplicate key ${formatJsonPath('header', duplicate)}`)
  }
  return header
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {}
  if (!isPlainObject(value)) fileError(`${METADATA_KEY} must be an object of strings, got ${describe(value)}`)
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') fileError(`${METADATA_KEY}.${key} must be a string, got ${describe(entry)}`)
  }
  // fromEntries defines own properties, so even a "__proto__" key stays plain data.
  return Object.fromEntries(Object.entries(value)) as Record<string, string>
}

interface TensorEntry {
  name: string
  dtype: DTypeInfo
  shape: number[]
  elements: number
  begin: number
  end: number
}

function isNonNegativeSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function parseTensorEntry(name: string, value: unknown, dataBytes: number): TensorEntry {
  const where = `tensor ${excerpt(name)}`
  if (!isPlainObject(value)) fileError(`${where}: entry must be an object, got ${describe(value)}`)
  for (const key of Object.keys(value)) {
    if (!TENSOR_ENTRY_KEYS.includes(key)) fileError(`${where}: unknown key ${excerpt(key)}`)
  }
  const { dtype: dtypeName, shape, data_offsets: offsets } = value
  if (typeof dtypeName !== 'string') fileError(`${where}: dtype must be a string, got ${describe(dtypeName)}`)
  const dtype = Object.hasOwn(FILE_DTYPES, dtypeName) ? FILE_DTYPES[dtypeName] : undefined
  if (dtype === undefined) fileError(`${where}: unsupported dtype ${excerpt(dtypeName)} (supported: F32, F64)`)
  if (!Array.isArray(shape) || !shape.every(isNonNegativeSafeInteger)) {
    fileError(`${where}: shape must be an array of non-negative integers, got ${excerpt(shape)}`)
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeSafeInteger)) {
    fileError(`${where}: data_offsets must be [begin, end] with non-negative integers, got ${excerpt(offsets)}`)
  }
  const [begin, end] = offsets as [number, number]
  if (begin > end) fileError(`${where}: data_offsets begin ${begin} is after end ${end}`)
  if (end > dataBytes) fileError(`${where}: data_offsets [${begin}, ${end}] lie outside the data buffer of ${dataBytes} bytes (truncated file?)`)
  // BigInt: a product of safe integers can exceed 2^53 and silently round.
  const elements = shape.reduce((product, size) => product * BigInt(size), 1n)
  if (elements * BigInt(dtype.bytes) !== BigInt(end - begin)) {
    fileError(`${where}: shape ${excerpt(shape)} of ${dtypeName} needs ${elements * BigInt(dtype.bytes)} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`)
  }
  return { name, dtype, shape, elements: Number(elements), begin, end }
}

function checkTiling(entries: TensorEntry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)
  let covered = 0
  let previous: TensorEntry | undefined
  for (const entry of sorted) {
    if (entry.begin < covered && previous !== undefined) {
      fileError(`tensor ${excerpt(entry.name)} [${entry.begin}, ${entry.end}] overlaps tensor ${excerpt(previous.name)} [${previous.begin}, ${previous.end}]`)
    }
    if (entry.begin > covered) {
      fileError(`gap in the data buffer: bytes [${covered}, ${entry.begin}) before tensor ${excerpt(entry.name)} belong to no tensor`)
    }
    covered = entry.end
    previous = entry
  }
  if (covered !== dataBytes) {
    fileError(`${dataBytes - covered} trailing bytes after the last tensor belong to no tensor`)
  }
}

function tensorView(bytes: Uint8Array, dataStart: number, entry: TensorEntry): Tensor {
  const byteOffset = bytes.byteOffset + dataStart + entry.begin
  // Typed arrays need aligned offsets; a misaligned tensor is copied into a fresh buffer.
  const aligned = byteOffset % entry.dtype.bytes === 0
  const buffer = aligned ? bytes.buffer : bytes.slice(dataStart + entry.begin, dataStart + entry.end).buffer
  const offset = aligned ? byteOffset : 0
  const data: FloatArray = entry.dtype.dtype === 'f32' ? new Float32Array(buffer, offset, entry.elements) : new Float64Array(buffer, offset, entry.elements)
  return { dtype: entry.dtype.dtype, shape: entry.shape, data }
}

/**
 * Parses a safetensors file. Aligned tensors are views into `bytes` (no copy), so they
 * change if `bytes` is modified afterwards. Values are not checked for finiteness here.
 */
export function readSafetensors(bytes: Uint8Array, limits: SafetensorsLimits = {}): SafetensorsContents {
  assertLittleEndianHost()
  const maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES
  if (bytes.length < HEADER_LENGTH_BYTES) {
    fileError(`file is ${bytes.length} bytes, too short for the ${HEADER_LENGTH_BYTES}-byte header length`)
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true)
  if (headerLength > BigInt(maxHeaderBytes)) {
    fileError(`header length ${headerLength} exceeds the limit of ${maxHeaderBytes} bytes`)
  }
  if (headerLength > BigInt(bytes.length - HEADER_LENGTH_BYTES)) {
    fileError(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated file?)`)
  }
  const dataStart = HEADER_LENGTH_BYTES + Number(headerLength)
  const header = parseHeaderJson(bytes.subarray(HEADER_LENGTH_BYTES, dataStart))
  const dataBytes = bytes.length - dataStart

  const metadata = parseMetadata(header[METADATA_KEY])
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseTensorEntry(name, value, dataBytes))
  checkTiling(entries, dataBytes)

  const tensors = new Map<string, Tensor>()
  for (const entry of entries) tensors.set(entry.name, tensorView(bytes, dataStart, entry))
  return { metadata, tensors }
}

function checkTensorForWriting(name: string, tensor: Tensor): void {
  const where = `tensor "${name}"`
  if (name === METADATA_KEY) fileError(`${where}: the name is reserved for metadata`)
  const expectedArray = tensor.dtype === 'f32' ? Float32Array : tensor.dtype === 'f64' ? Float64Array : undefined
  if (expectedArray === undefined) fileError(`${where}: unsupported dtype "${String(tensor.dtype)}" (supported: f32, f64)`)
  if (!(tensor.data instanceof expectedArray)) fileError(`${where}: dtype ${tensor.dtype} but data is a ${tensor.data.constructor.name}`)
  if (!tensor.shape.every(isNonNegativeSafeInteger)) fileError(`${where}: invalid shape ${JSON.stringify(tensor.shape)}`)
  const elements = tensor.shape.reduce((product, size) => product * size, 1)
  if (elements !== tensor.data.length) {
    fileError(`${where}: shape ${JSON.stringify(tensor.shape)} has ${elements} elements but data has ${tensor.data.length}`)
  }
}

/** Serialises tensors in the given order; the header is padded with spaces so data starts 8-byte aligned. */
export function writeSafetensors(tensors: { name: string; tensor: Tensor }[], metadata: Record<string, string>): Uint8Array {
  assertLittleEndianHost()
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') fileError(`${METADATA_KEY}.${key} must be a string`)
  }
  const seen = new Set<string>()
  // The header is assembled by hand: a JS object would reorder integer-like tensor names.
  const headerParts = [`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`]
  let offset = 0
  for (const { name, tensor } of tensors) {
    checkTensorForWriting(name, tensor)
    if (seen.has(name)) fileError(`duplicate tensor name "${name}"`)
    seen.add(name)
    const entry = { dtype: FILE_DTYPE_NAMES[tensor.dtype], shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] }
    headerParts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`)
    offset += tensor.data.byteLength
  }
  const json = new TextEncoder().encode(`{${headerParts.join(',')}}`)
  const headerLength = Math.ceil(json.length / 8) * 8
  const out = new Uint8Array(HEADER_LENGTH_BYTES + headerLength + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true)
  out.set(json, HEADER_LENGTH_BYTES)
  out.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerLength)
  let position = HEADER_LENGTH_BYTES + headerLength
  for (const { tensor } of tensors) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), position)
    position += tensor.data.byteLength
  }
  return out
}
