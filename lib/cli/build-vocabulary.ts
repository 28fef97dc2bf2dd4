/** train --build-vocabulary: a tokenizer from the training text and words, written into the config with the embedding sized to it. */
import type { TokenizerConfig } from '../model/types.js'
import { buildVocabulary } from '../text/vocabulary.js'
import { tokenizeTreebank } from '../text/tokenize.js'
import type { NumberedLine } from './input/jsonl.js'
import { UsageError } from './usage.js'

export interface VocabularySettings {
  minCount: number
  lowercase: boolean
}

/** The words of each line: its "text" split as the treebank is, or its "tokens" when they are words. */
function sentences(lines: readonly NumberedLine[]): string[][] {
  return lines.flatMap(({ value }) => {
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
    if (typeof record.text === 'string') return [tokenizeTreebank(record.text)]
    const tokens = record.tokens
    return Array.isArray(tokens) && tokens.length > 0 && tokens.every((token) => typeof token === 'string') ? [tokens as string[]] : []
  })
}

/** <unk>, then every word seen at least minCount times, in order of first occurrence. */
export function vocabularyOf(lines: readonly NumberedLine[], source: string, { minCount, lowercase }: VocabularySettings): TokenizerConfig {
  const found = sentences(lines)
  if (found.length === 0) throw new UsageError(`--build-vocabulary: ${source} has no "text" or word "tokens" to build a vocabulary from`)
  return { lowercase, vocab: buildVocabulary(found, { minCount, lowercase }) }
}

/** The config with the tokenizer and an embedding of one row per word (its width stays inputSize). */
export function withVocabulary(config: unknown, tokenizer: TokenizerConfig): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config
  const record = config as Record<string, unknown>
  if (record.tokenizer !== undefined) throw new UsageError('--build-vocabulary: the config already has a tokenizer; leave it out to build one from the data')
  const embedding = typeof record.embedding === 'object' && record.embedding !== null ? record.embedding : {}
  return { ...record, embedding: { ...embedding, vocabSize: tokenizer.vocab.length }, tokenizer }
}
