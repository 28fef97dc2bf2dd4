// SST trees, the treebank tokenizer and vocabulary encoding (lib/text/): what the shipped model's
// tokenizer and the reproduction's data loading rest on.
import test from 'ava'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { parseSstTree, treePhrases, treeWords } from '../lib/text/sst-tree.js'
import { tokenizeTreebank } from '../lib/text/tokenize.js'
import { buildVocabulary, encodeTokens, tokenizeText, UNKNOWN_TOKEN } from '../lib/text/vocabulary.js'
import { defaultSstDir, readSstTrees, sentences, uniquePhrases } from '../lib/reproduce/sst/data.js'
import { LstmLrpError } from '../lib/index.js'

test('a tree parses into labelled phrases, root first, with the words in order', (t) => {
  const tree = parseSstTree('(3 (2 (2 The) (2 Rock)) (4 (3 is) (4 great)))')
  t.deepEqual(treeWords(tree), ['The', 'Rock', 'is', 'great'])
  const phrases = treePhrases(tree)
  t.is(phrases.length, 7)
  t.deepEqual(phrases[0], { words: ['The', 'Rock', 'is', 'great'], label: 3 })
  t.deepEqual(
    phrases.find((phrase) => phrase.words.join(' ') === 'is great'),
    { words: ['is', 'great'], label: 4 },
  )
})

test('malformed trees fail with E_INPUT naming the position', (t) => {
  for (const [line, position] of [
    ['(3 (2 a) (2 b)', 14],
    ['(7 word)', 1],
    ['(2 a) trailing', 6],
    ['(2 )', 3],
  ] as const) {
    const error = t.throws(() => parseSstTree(line), { instanceOf: LstmLrpError })
    t.is(error?.code, 'E_INPUT')
    t.regex(error?.message ?? '', new RegExp(`character ${position}`), line)
  }
})

test('a tree nested a million levels deep fails with E_INPUT, not a stack overflow; 1000 levels still parse', (t) => {
  const deep = `${'(2 '.repeat(1_000_000)}a${')'.repeat(1_000_000)}`
  const error = t.throws(() => parseSstTree(deep), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_INPUT')
  t.regex(error?.message ?? '', /nested deeper than 1000 levels/)
  t.true((error?.message.length ?? 0) < 200)
  const ok = `${'(2 '.repeat(1000)}a${')'.repeat(1000)}`
  t.deepEqual(treeWords(parseSstTree(ok)), ['a'])
})

test('the treebank splits have the documented sizes, and 8544 train sentences give about 157k distinct phrases', async (t) => {
  const dir = defaultSstDir()
  const [train, dev, test_] = await Promise.all([readSstTrees(dir, 'train'), readSstTrees(dir, 'dev'), readSstTrees(dir, 'test')])
  t.deepEqual([train.length, dev.length, test_.length], [8544, 1101, 2210])
  const phrases = uniquePhrases(train)
  t.true(phrases.length > 150_000 && phrases.length < 160_000, `${phrases.length} phrases`)
  t.true(phrases.every((phrase) => phrase.label >= 0 && phrase.label <= 4))
  t.is(sentences(test_).filter((sentence) => sentence.words.length >= 10).length, 1849, 'the paper keeps 1849 test sentences with at least ten words')
})

test('raw text becomes treebank tokens: clitics, punctuation, quotes, brackets, abbreviations, escapes', (t) => {
  t.deepEqual(tokenizeTreebank(`I don't think it's "great" (really), Mr. Smith can't... Won't it?!`), [
    'I',
    'do',
    "n't",
    'think',
    'it',
    "'s",
    '``',
    'great',
    "''",
    '-LRB-',
    'really',
    '-RRB-',
    ',',
    'Mr.',
    'Smith',
    'ca',
    "n't",
    '...',
    'Wo',
    "n't",
    'it',
    '?!',
  ])
  t.deepEqual(tokenizeTreebank('The U.S. co-writer/director cannot cost $5, 2,500 or 50% -- the \u201cbest\u201d film.'), [
    'The',
    'U.S.',
    'co-writer\\/director',
    'can',
    'not',
    'cost',
    '$',
    '5',
    ',',
    '2,500',
    'or',
    '50',
    '%',
    '--',
    'the',
    '``',
    'best',
    "''",
    'film',
    '.',
  ])
  t.deepEqual(tokenizeTreebank("the '80s 'em and stalk 'n' slash"), ['the', "'80s", "'em", 'and', 'stalk', "'n'", 'slash'])
})

test('treebank sentences, written back as plain text, tokenize to their own words (at least 99% of the test split)', async (t) => {
  // Undo the treebank's conventions the way a writer would type the sentence.
  const plain = (words: string[]) =>
    words
      .join(' ')
      .replace(/-LRB- /g, '(')
      .replace(/ -RRB-/g, ')')
      .replace(/`` /g, '"')
      .replace(/ ''/g, '"')
      .replace(/ ([,.;:!?%]|n't|'s|'re|'ve|'m|'ll|'d)(?= |$)/g, '$1')
      .replace(/\\\//g, '/')
      .replace(/\\\*/g, '*')
  const test_ = sentences(await readSstTrees(defaultSstDir(), 'test'))
  const same = test_.filter(({ words }) => JSON.stringify(tokenizeTreebank(plain(words))) === JSON.stringify(words)).length
  t.true(same / test_.length >= 0.99, `${same} of ${test_.length}`)
  const idempotent = test_.filter(({ words }) => JSON.stringify(tokenizeTreebank(words.join(' '))) === JSON.stringify(words)).length
  t.true(idempotent / test_.length >= 0.99, `already tokenized: ${idempotent} of ${test_.length}`)
})

test('a vocabulary lists <unk> first and the words seen often enough in order of first occurrence', (t) => {
  const vocab = buildVocabulary(
    [
      ['A', 'b', 'a'],
      ['c', 'b'],
    ],
    { minCount: 2 },
  )
  t.deepEqual(vocab, [UNKNOWN_TOKEN, 'a', 'b'])
  t.deepEqual(buildVocabulary([['A', 'b']], { lowercase: false }), [UNKNOWN_TOKEN, 'A', 'b'])
})

test('encoding lowercases as the tokenizer says and maps unknown words to <unk>, reporting their positions', (t) => {
  const tokenizer = { lowercase: true, vocab: [UNKNOWN_TOKEN, 'a', 'good', 'film', "n't"] }
  t.deepEqual(encodeTokens(['A', 'GOOD', 'movie'], tokenizer), { tokens: ['a', 'good', 'movie'], ids: [1, 2, 0], unknown: [2] })
  t.deepEqual(tokenizeText("A good film, isn't it", { tokenizer }), {
    tokens: ['a', 'good', 'film', ',', 'is', "n't", 'it'],
    ids: [1, 2, 3, 0, 0, 4, 0],
    unknown: [3, 4, 6],
  })
  const noUnknown = { lowercase: false, vocab: ['a'] }
  t.is(t.throws(() => encodeTokens(['b'], noUnknown), { instanceOf: LstmLrpError })?.code, 'E_INPUT')
  t.is(t.throws(() => tokenizeText('a', {}), { instanceOf: LstmLrpError })?.code, 'E_CONFIG')
  t.is(t.throws(() => tokenizeText('   ', { tokenizer }), { instanceOf: LstmLrpError })?.code, 'E_INPUT')
})

test('every SST file line parses (the data the model was trained on is intact)', (t) => {
  const text = gunzipSync(readFileSync(`${defaultSstDir()}/dev.txt.gz`)).toString('utf8')
  t.notThrows(() => text.split('\n').filter(Boolean).forEach(parseSstTree))
})
