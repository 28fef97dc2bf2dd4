/**
 * Raw text to the Penn Treebank tokens the Stanford Sentiment Treebank uses, so that typed text
 * meets the vocabulary a model was trained on: clitics split ("don't" → "do n't", "it's" → "it 's",
 * "cannot" → "can not"), punctuation split (runs like "..." and "?!" stay one token, a sentence's
 * final period is split but initials such as "u.s." and common abbreviations keep theirs), double
 * quotes as `` and '', brackets as -LRB- / -RRB- (-LSB-, -RSB-, -LCB-, -RCB-), "/" and "*" escaped
 * as the treebank writes them. Hyphenated words and numbers like "2,500" or "1.5" stay whole.
 * Case is kept: lowercasing belongs to the model's tokenizer config.
 */

const BRACKETS: Record<string, string> = { '(': '-LRB-', ')': '-RRB-', '[': '-LSB-', ']': '-RSB-', '{': '-LCB-', '}': '-RCB-' }
/** Words whose final period is part of the word in the treebank. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'jr', 'sr', 'st', 'vs', 'inc', 'co', 'corp', 'bros', 'etc', 'no', 'vol', 'al', 'sept', 'wash', 'prof', 'gen', 'mt'])
/** Words that begin with an apostrophe in the treebank (elsewhere a leading ' is an opening quote). */
const APOSTROPHE_WORDS = /^'(s|m|re|ve|ll|d|em|til|n'?|cause|tis|twas|\d\d?s?)$/i
const CLITIC = /^(.+?)(n't|'s|'m|'re|'ve|'ll|'d)$/i

function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\u2026/g, '...')
    .replace(/\u2013/g, '-')
    .replace(/\u2014/g, ' -- ')
    .replace(/\u201c/g, ' `` ')
    .replace(/\u201d/g, " '' ")
    // A straight double quote opens at the start or after a space or bracket, and closes elsewhere.
    .replace(/(^|[\s([{])"/g, '$1 `` ')
    .replace(/"/g, " '' ")
}

const PREFIX = /^(``|\.{3,}|-{2,}|[([{$#])/
const SUFFIX = /(''|\.{3,}|-{2,}|[!?]+|[)\]},;:%]|'|\.)$/

/** A final period that belongs to the word: an abbreviation or initials ("u.s.", "j."). */
function keepsPeriod(stem: string): boolean {
  return ABBREVIATIONS.has(stem.toLowerCase()) || /^([a-z]\.)*[a-z]$/i.test(stem)
}

/** Splits one whitespace-free chunk into tokens: outer punctuation peeled off both ends, then the word. */
function splitChunk(chunk: string): string[] {
  const before: string[] = []
  const after: string[] = []
  let word = chunk
  for (;;) {
    const prefix = PREFIX.exec(word)
    if (prefix !== null && prefix[0].length < word.length) {
      before.push(prefix[0])
      word = word.slice(prefix[0].length)
      continue
    }
    if (/^'[a-z]/i.test(word) && !APOSTROPHE_WORDS.test(word.replace(/[^a-z0-9']+$/i, ''))) {
      before.push('`')
      word = word.slice(1)
      continue
    }
    const suffix = SUFFIX.exec(word)
    if (suffix === null || suffix.index === 0) break
    const stem = word.slice(0, suffix.index)
    if (suffix[0] === '.' && keepsPeriod(stem)) break
    // A final apostrophe stays on clitic-like words the treebank keeps whole ("'n'", "ol'").
    if (suffix[0] === "'" && /^('n|ol)$/i.test(stem)) break
    after.unshift(suffix[0])
    word = stem
  }
  return [...before, ...splitWord(word), ...after]
}

/** Clitics and inner dashes of a word with its outer punctuation removed. */
function splitWord(word: string): string[] {
  const dashed = word.split(/(--+|\.\.\.+)/).filter((piece) => piece.length > 0)
  if (dashed.length > 1) return dashed.flatMap((piece) => (/^(--+|\.\.\.+)$/.test(piece) ? [piece] : splitWord(piece)))
  if (/^cannot$/i.test(word)) return [word.slice(0, 3), word.slice(3)]
  if (/^(won't|can't|ain't)$/i.test(word)) return [word.slice(0, 2), word.slice(2)]
  const clitic = CLITIC.exec(word)
  if (clitic !== null && !APOSTROPHE_WORDS.test(word)) return [clitic[1], clitic[2]]
  return [word]
}

function escape(token: string): string {
  if (Object.hasOwn(BRACKETS, token)) return BRACKETS[token]
  return token.replace(/(?<!\\)\//g, '\\/').replace(/(?<!\\)\*/g, '\\*')
}

/** The treebank tokens of a text (original case). */
export function tokenizeTreebank(text: string): string[] {
  return normalise(text)
    .split(/\s+/)
    .filter((chunk) => chunk.length > 0)
    .flatMap((chunk) => (chunk === '``' || chunk === "''" ? [chunk] : splitChunk(chunk)))
    .map(escape)
}
