/**
 * Model files that are not safetensors at all: a safetensors file starts with its header's 8-byte
 * length and then the header's '{' (after whitespace, which JSON allows). Anything else is named by
 * its first bytes and, where they tell a format `lstm-lrp convert` reads, with the command that
 * converts it.
 */
import { HDF5_SIGNATURE } from '../io/hdf5-signature.js'

/** Bytes of the file's start that a message shows. */
const SHOWN_BYTES = 16
const HEADER_LENGTH_BYTES = 8
const OPEN_BRACE = 0x7b

interface Kind {
  /** What the file looks like, e.g. "an ONNX model". */
  name: string
  /** How to get an lstm-lrp model from it, given the file's name. */
  advice?: (file: string) => string
}

/** The file name as a shell word, so the suggested command can be pasted as it is. */
function shellWord(file: string): string {
  return /^[\w./@%+:,-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`
}

const convert = (format: string) => (file: string) => `convert it with \`lstm-lrp convert --from ${format} ${shellWord(file)} --out model.safetensors\``

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte)
}

function contains(bytes: Uint8Array, text: string): boolean {
  const pattern = new TextEncoder().encode(text)
  outer: for (let start = bytes.indexOf(pattern[0]); start >= 0 && start + pattern.length <= bytes.length; start = bytes.indexOf(pattern[0], start + 1)) {
    for (let k = 1; k < pattern.length; k++) if (bytes[start + k] !== pattern[k]) continue outer
    return true
  }
  return false
}

/** ONNX's ModelProto starts with ir_version (field 1, a small varint), then another of its fields. */
function looksLikeOnnx(bytes: Uint8Array): boolean {
  const MODEL_PROTO_TAGS = [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72]
  return bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] < 0x80 && MODEL_PROTO_TAGS.includes(bytes[2])
}

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d
}

/** The first byte that is neither JSON whitespace nor part of a UTF-8 byte-order mark. */
function firstVisible(bytes: Uint8Array): number | undefined {
  return bytes.find((byte) => !isJsonSpace(byte) && byte !== 0xef && byte !== 0xbb && byte !== 0xbf)
}

function kindOf(bytes: Uint8Array): Kind | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (contains(bytes, 'model.weights.h5')) return { name: 'a Keras 3 .keras file (zip)', advice: convert('keras') }
    if (contains(bytes, 'data.pkl')) return { name: 'a PyTorch torch.save archive', advice: () => 'save the state_dict with safetensors.torch.save_file, then convert it with `lstm-lrp convert --from pytorch`' }
    return { name: 'a zip archive' }
  }
  if (startsWith(bytes, HDF5_SIGNATURE))
    return { name: 'an HDF5 file (a Keras 2 .h5 model?)', advice: () => "save the model as .keras with Keras 3 (model.save('model.keras')), then convert it with `lstm-lrp convert --from keras`" }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { name: 'a PNG image' }
  if (looksLikeOnnx(bytes)) return { name: 'an ONNX model', advice: convert('onnx') }
  const first = firstVisible(bytes.subarray(0, 1024))
  if (first === OPEN_BRACE || first === 0x5b) {
    if (contains(bytes, '"modelTopology"') || contains(bytes, '"weightsManifest"')) return { name: 'a TF.js model.json', advice: convert('tfjs') }
    return { name: 'a JSON file' }
  }
  return null
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' }

/** The first bytes as a quoted string: printable ASCII as it is, control characters and other bytes escaped. */
function shownStart(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes.subarray(0, SHOWN_BYTES)) text += ESCAPES[byte] ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)
  return `"${text}${bytes.length > SHOWN_BYTES ? '...' : ''}"`
}

/**
 * Null for bytes that start as a safetensors file does; otherwise what to say after the file's name:
 * "is not a safetensors file (it starts with ...)", what it looks like and how to convert it.
 */
export function notSafetensors(bytes: Uint8Array, file: string): string | null {
  let header = HEADER_LENGTH_BYTES
  while (isJsonSpace(bytes[header])) header++
  if (bytes[header] === OPEN_BRACE) return null
  const start = bytes.length === 0 ? 'it is empty' : `it starts with ${shownStart(bytes)}`
  const kind = kindOf(bytes)
  if (kind === null) return `is not a safetensors file (${start})`
  return `is not a safetensors file (${start}): it looks like ${kind.name}${kind.advice === undefined ? '' : `; ${kind.advice(file)}`}`
}
