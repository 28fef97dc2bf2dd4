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
const PLAIN_WORD = /^[a-z0-9]+$/i
const CANNOT = /^cannot$/i
const ESCAPED = /[/*]/

/** Every character normalise() rewrites: most texts have none, and skip its eight passes. */
const NORMALISED = /[\u2018\u2019\u02bc\u2026\u2013\u2014\u201c\u201d"]/

function normalise(text: string): string {
  if (!NORMALISED.test(text)) return text
  return (
    text
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .replace(/\u2026/g, '...')
      .replace(/\u2013/g, '-')
      .replace(/\u2014/g, ' -- ')
      .replace(/\u201c/g, ' `` ')
      .replace(/\u201d/g, " '' ")
      // A straight double quote opens at the start or after a space or bracket, and closes elsewhere.
      .replace(/(^|[\s([{])"/g, '$1 `` ')
      .replace(/"/g, " '' ")
  )
}

/**
 * Outer punctuation is found by scanning from the word's ends, never by a regular expression over the
 * rest of the word, and the word is kept as bounds into its chunk: peeling stays linear in the
 * chunk's length however much punctuation it holds.
 */
const SINGLE_PREFIXES = new Set(['(', '[', '{', '$', '#'])
const SINGLE_SUFFIXES = new Set([')', ']', '}', ',', ';', ':', '%'])
const LONGEST_ABBREVIATION = Array.from(ABBREVIATIONS).reduce((longest, word) => Math.max(longest, word.length), 0)
/** "'cause" is the longest word APOSTROPHE_WORDS matches. */
const LONGEST_APOSTROPHE_WORD = 6

function isLetter(character: string | undefined): boolean {
  return character !== undefined && /^[a-z]$/i.test(character)
}

/** Where the run of `character` that starts at `start` ends, looking no further than `end`. */
function runEnd(chunk: string, character: string, start: number, end: number): number {
  let position = start
  while (position < end && chunk[position] === character) position++
  return position
}

/** Where the run of characters in `characters` that ends at `end` starts, looking no further back than `start`. */
function runStart(chunk: string, characters: string, start: number, end: number): number {
  let position = end
  while (position > start && characters.includes(chunk[position - 1])) position--
  return position
}

/** The end of the opening punctuation of chunk[start, end): ``, "...", "--" or one of ([{$#; `start` when there is none. */
function prefixEnd(chunk: string, start: number, end: number): number {
  const first = chunk[start]
  if (first === '`') return end - start >= 2 && chunk[start + 1] === '`' ? start + 2 : start
  if (first === '.' || first === '-') {
    const stop = runEnd(chunk, first, start, end)
    return stop - start >= (first === '.' ? 3 : 2) ? stop : start
  }
  return SINGLE_PREFIXES.has(first) ? start + 1 : start
}

/** The start of the closing punctuation of chunk[start, end): '', "...", "--", a run of ! and ?, one of )]},;:%'.; `end` when there is none. */
function suffixStart(chunk: string, start: number, end: number): number {
  const last = chunk[end - 1]
  if (last === "'") return end - start >= 2 && chunk[end - 2] === "'" ? end - 2 : end - 1
  if (last === '.') {
    const run = runStart(chunk, '.', start, end)
    return end - run >= 3 ? run : end - 1
  }
  if (last === '-') {
    const run = runStart(chunk, '-', start, end)
    return end - run >= 2 ? run : end
  }
  if (last === '!' || last === '?') return runStart(chunk, '!?', start, end)
  return SINGLE_SUFFIXES.has(last) ? end - 1 : end
}

/** Splits one whitespace-free chunk into tokens: outer punctuation peeled off both ends, then the word. */
function splitChunk(chunk: string): string[] {
  const before: string[] = []
  const afterReversed: string[] = []
  let start = 0
  let end = chunk.length
  // Cached scans: each only moves one way as the word shrinks, so together they read the chunk a bounded number of times.
  let keptEnd = end
  let initialsFrom = -1
  let initialsLength = 0
  /** The word without its trailing characters other than ASCII letters, digits and apostrophes. */
  const keptWordEnd = () => {
    if (keptEnd > end) keptEnd = end
    while (keptEnd > start && !/^[a-z0-9']$/i.test(chunk[keptEnd - 1])) keptEnd--
    return keptEnd
  }
  /** A final period that belongs to the word chunk[start, stemEnd): an abbreviation or initials ("u.s.", "j."). */
  const keepsPeriod = (stemEnd: number) => {
    const length = stemEnd - start
    if (length <= LONGEST_ABBREVIATION && ABBREVIATIONS.has(chunk.slice(start, stemEnd).toLowerCase())) return true
    if (initialsFrom !== start) {
      initialsFrom = start
      initialsLength = 0
      while (start + initialsLength < chunk.length && (initialsLength % 2 === 0 ? isLetter(chunk[start + initialsLength]) : chunk[start + initialsLength] === '.')) initialsLength++
    }
    return length % 2 === 1 && length <= initialsLength
  }
  for (;;) {
    const prefix = prefixEnd(chunk, start, end)
    if (prefix > start && prefix < end) {
      before.push(chunk.slice(start, prefix))
      start = prefix
      continue
    }
    if (chunk[start] === "'" && end - start >= 2 && isLetter(chunk[start + 1])) {
      const keptLength = keptWordEnd() - start
      if (keptLength > LONGEST_APOSTROPHE_WORD || !APOSTROPHE_WORDS.test(chunk.slice(start, start + keptLength))) {
        before.push('`')
        start++
        continue
      }
    }
    const suffix = suffixStart(chunk, start, end)
    if (suffix === end || suffix === start) break
    const single = end - suffix === 1 ? chunk[suffix] : ''
    if (single === '.' && keepsPeriod(suffix)) break
    // A final apostrophe stays on clitic-like words the treebank keeps whole ("'n'", "ol'").
    if (single === "'" && suffix - start === 2 && /^('n|ol)$/i.test(chunk.slice(start, suffix))) break
    afterReversed.push(chunk.slice(suffix, end))
    end = suffix
  }
  const tokens = before.concat(splitWord(chunk.slice(start, end)))
  for (let n = afterReversed.length - 1; n >= 0; n--) tokens.push(afterReversed[n])
  return tokens
}

/** Clitics and inner dashes of a word with its outer punctuation removed. */
function splitWord(word: string): string[] {
  const dashed = word.split(/(--+|\.\.\.+)/).filter((piece) => piece.length > 0)
  if (dashed.length > 1) return dashed.flatMap((piece) => (/^(--+|\.\.\.+)$/.test(piece) ? [piece] : splitWord(piece)))
  if (CANNOT.test(word)) return [word.slice(0, 3), word.slice(3)]
  if (/^(won't|can't|ain't)$/i.test(word)) return [word.slice(0, 2), word.slice(2)]
  const clitic = CLITIC.exec(word)
  if (clitic !== null && !APOSTROPHE_WORDS.test(word)) return [clitic[1], clitic[2]]
  return [word]
}

function escape(token: string): string {
  if (token.length === 1 && Object.hasOwn(BRACKETS, token)) return BRACKETS[token]
  // Most tokens have neither character: skip the two look-behind scans (a serving hot path).
  if (!ESCAPED.test(token)) return token
  return token.replace(/(?<!\\)\//g, '\\/').replace(/(?<!\\)\*/g, '\\*')
}

/**
 * Letters and digits only, and not "cannot": nothing to peel, split or escape. Most words are
 * like this, and skipping splitChunk for them makes tokenizing several times faster.
 */
function isPlainWord(chunk: string): boolean {
  return PLAIN_WORD.test(chunk) && !CANNOT.test(chunk)
}

/** The treebank tokens of a text (original case). */
export function tokenizeTreebank(text: string): string[] {
  // One loop, not a split/filter/flatMap/map chain: flatMap alone was most of a sentence's time.
  const tokens: string[] = []
  for (const chunk of normalise(text).split(/\s+/)) {
    if (chunk.length === 0) continue
    if (chunk === '``' || chunk === "''" || isPlainWord(chunk)) tokens.push(chunk)
    else for (const token of splitChunk(chunk)) tokens.push(escape(token))
  }
  return tokens
}
