/** One input of explain or predict, whatever form it came in (JSON, text, words, CSV rows), and where it came from. */
import type { SequenceInput, Target } from '../../explain/types.js'
import type { ModelConfig } from '../../model/types.js'
import { encodeTokens, tokenizeText, type EncodedText } from '../../text/vocabulary.js'
import { classIndex } from '../../explain/target.js'
import { fail, LstmLrpError } from '../../errors.js'
import { describeValue, excerpt } from '../../describe-value.js'
import { UsageError } from '../usage.js'

export interface InputRecord {
  /** Where the input came from, to begin every message about it: "line 3", "lines 4-9", "--text". */
  where: string
  input: SequenceInput
  target?: Target
  id?: unknown
  /** The true output of a line in the training format ({"x" | "tokens" | "text", "y"}). */
  y?: unknown
  /** The tokens as the model saw them and which were unknown, when the input was text or words. */
  words?: EncodedText
  /** Bytes of the input read up to this record's end (progress). */
  end: number
}

/**
 * The class a line's "y" names (an index or a label name), for explaining or scoring against the
 * true label; null when "y" is not one class (per-step classes, regression values).
 */
export function trueClass(record: InputRecord, config: ModelConfig): number | null {
  const { y } = record
  if (config.task !== 'classification' || (typeof y !== 'number' && typeof y !== 'string')) return null
  return at(record.where, () => classIndex(y, config.head.outputs, '"y"', config.labels))
}

/** What an output line repeats of its input: the "id", and the "tokens" and "unknown" ones of text or words. */
export function echoedFields(record: InputRecord): { id?: unknown; tokens?: string[]; unknown?: number[] } {
  const fields: { id?: unknown; tokens?: string[]; unknown?: number[] } = {}
  if (record.id !== undefined) fields.id = record.id
  if (record.words !== undefined) {
    fields.tokens = record.words.tokens
    fields.unknown = record.words.unknown
  }
  return fields
}

/** How text and words meet the model's vocabulary. */
export interface TextSettings {
  config: ModelConfig
  /** Lowercase even when the model's tokenizer keeps case. */
  lowercase: boolean
}

const LINE_KEYS = ['x', 'tokens', 'text', 'target', 'id', 'y']
const INTEGER = /^-?\d+$/

/** Runs `step`; an input error it throws gets `where` in front of its message, keeping its kind and code. */
export function at<T>(where: string, step: () => T): T {
  try {
    return step()
  } catch (error) {
    if (error instanceof LstmLrpError) throw new LstmLrpError(error.code, `${where}: ${error.message}`)
    if (error instanceof UsageError) throw new UsageError(`${where}: ${error.message}`)
    throw error
  }
}

function tokenizerConfig({ config, lowercase }: TextSettings): Pick<ModelConfig, 'tokenizer'> {
  if (config.tokenizer === undefined) return {}
  return { tokenizer: lowercase ? { ...config.tokenizer, lowercase: true } : config.tokenizer }
}

/** A sentence, tokenized as the Sentiment Treebank is and encoded with the model's tokenizer. */
export function textRecord(where: string, text: string, end: number, settings: TextSettings): InputRecord {
  const words = at(where, () => tokenizeText(text, tokenizerConfig(settings)))
  return { where, input: { tokens: words.ids }, words, end }
}

/** Words that are already tokens: looked up in the vocabulary as they are (lowercased when the tokenizer says so). */
export function wordsRecord(where: string, tokens: readonly string[], end: number, settings: TextSettings): InputRecord {
  const { tokenizer } = tokenizerConfig(settings)
  if (tokenizer === undefined) fail('E_INPUT', `${where}: the tokens are strings (the first is ${describeValue(tokens[0])}), but the model has no vocabulary: token ids must be integers`)
  if (tokens.length === 0) fail('E_INPUT', `${where}: no tokens`)
  const words = at(where, () => encodeTokens(tokens, tokenizer))
  return { where, input: { tokens: words.ids }, words, end }
}

/** --tokens: token ids or words, separated by commas or spaces; ids when every one is an integer. */
export function tokensFlagRecord(value: string, settings: TextSettings): InputRecord {
  const parts = value.split(/[\s,]+/).filter((part) => part.length > 0)
  if (parts.length === 0) throw new UsageError('--tokens: no tokens given')
  if (parts.every((part) => INTEGER.test(part))) return { where: '--tokens', input: { tokens: parts.map(Number) }, end: 0 }
  return wordsRecord('--tokens', parts, 0, settings)
}

/** A JSON line: {"x": [[...]]}, {"tokens": [ids or words]} or {"text": "..."}, with an optional "target", "id" and "y" (the training format's true output). */
export function jsonRecord(where: string, value: unknown, end: number, settings: TextSettings): InputRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: expected an object {"x": [[...]]}, {"tokens": [...]} or {"text": "..."}`)
  const record = value as Record<string, unknown>
  const unknown = Object.keys(record).find((key) => !LINE_KEYS.includes(key))
  if (unknown !== undefined) throw new UsageError(`${where}: unknown key '${excerpt(unknown)}' (expected x, tokens or text, and optionally target, id, y)`)
  const given = ['x', 'tokens', 'text'].filter((key) => key in record)
  if (given.length !== 1) throw new UsageError(`${where}: give exactly one of "x", "tokens" and "text"`)
  const extra = {
    ...(record.target !== undefined ? { target: record.target as Target } : {}),
    ...(record.id !== undefined ? { id: record.id } : {}),
    ...(record.y !== undefined ? { y: record.y } : {}),
  }
  if ('text' in record) {
    if (typeof record.text !== 'string') throw new UsageError(`${where}: "text" must be a string`)
    return { ...textRecord(where, record.text, end, settings), ...extra }
  }
  if ('x' in record) return { where, input: record.x as number[][], end, ...extra }
  const tokens = record.tokens
  if (Array.isArray(tokens) && tokens.length > 0 && tokens.some((token) => typeof token === 'string')) {
    if (!tokens.every((token) => typeof token === 'string')) throw new UsageError(`${where}: "tokens" must be all token ids or all words`)
    return { ...wordsRecord(where, tokens as string[], end, settings), ...extra }
  }
  // Token ids are checked by the model, against its vocabulary size.
  return { where, input: { tokens: tokens as number[] }, end, ...extra }
}
