/** Token strings to a model's token ids through its tokenizer config (docs/MODEL-CONFIG.md), and back. */
import type { ModelConfig, TokenizerConfig } from '../model/types.js'
import { fail } from '../errors.js'
import { excerpt } from '../describe-value.js'
import { tokenizeTreebank } from './tokenize.js'

/** The vocabulary entry that stands for every word the model has no embedding of. */
export const UNKNOWN_TOKEN = '<unk>'

export interface EncodedText {
  /** The tokens as the model sees them (lowercased when its tokenizer says so). */
  tokens: string[]
  ids: number[]
  /** Positions whose token is not in the vocabulary: their id is the <unk> entry's. */
  unknown: number[]
}

const indexCache = new WeakMap<readonly string[], Map<string, number>>()

function indexOf(vocab: readonly string[]): Map<string, number> {
  let index = indexCache.get(vocab)
  if (index === undefined) {
    index = new Map()
    // The first occurrence wins, as a vocabulary lists each word once.
    vocab.forEach((word, id) => {
      if (!index!.has(word)) index!.set(word, id)
    })
    indexCache.set(vocab, index)
  }
  return index
}

/** Ids of tokens; a word outside the vocabulary maps to <unk>, or fails when the vocabulary has none. */
export function encodeTokens(words: readonly string[], tokenizer: TokenizerConfig): EncodedText {
  const index = indexOf(tokenizer.vocab)
  const unknownId = index.get(UNKNOWN_TOKEN)
  const tokens = tokenizer.lowercase ? words.map((word) => word.toLowerCase()) : [...words]
  const unknown: number[] = []
  const ids = tokens.map((token, position) => {
    const id = index.get(token)
    if (id !== undefined) return id
    if (unknownId === undefined) fail('E_INPUT', `token '${excerpt(token)}' (position ${position}) is not in the vocabulary, which has no ${UNKNOWN_TOKEN} entry`)
    unknown.push(position)
    return unknownId
  })
  return { tokens, ids, unknown }
}

/** Tokenizes text as the Sentiment Treebank does (lib/text/tokenize.ts) and encodes it with the model's tokenizer. */
export function tokenizeText(text: string, config: Pick<ModelConfig, 'tokenizer'>): EncodedText {
  if (config.tokenizer === undefined) fail('E_CONFIG', 'the model has no tokenizer: pass token ids instead of text')
  const encoded = encodeTokens(tokenizeTreebank(text), config.tokenizer)
  if (encoded.ids.length === 0) fail('E_INPUT', 'the text has no tokens')
  return encoded
}

/**
 * A vocabulary from tokenized sentences: <unk> first, then every word seen at least minCount times,
 * in order of first occurrence (so the same sentences always give the same ids).
 */
export function buildVocabulary(sentences: readonly (readonly string[])[], { minCount = 1, lowercase = true } = {}): string[] {
  const counts = new Map<string, number>()
  for (const sentence of sentences)
    for (const word of sentence) {
      const token = lowercase ? word.toLowerCase() : word
      counts.set(token, (counts.get(token) ?? 0) + 1)
    }
  return [UNKNOWN_TOKEN, ...[...counts].filter(([word, count]) => count >= minCount && word !== UNKNOWN_TOKEN).map(([word]) => word)]
}
