/**
 * The Stanford Sentiment Treebank splits (docs/REPRODUCTION.md § The SST model (the package's built-in default)):
 * sentences and labelled phrases, read from PTB trees.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { packageRoot } from '../../backend/package-root.js'
import { parseSstTree, treePhrases, type LabelledPhrase, type SstTree } from '../../text/sst-tree.js'
import { fail } from '../../errors.js'

export type SstSplit = 'train' | 'dev' | 'test'

export const SST_LABELS = ['very negative', 'negative', 'neutral', 'positive', 'very positive']

/** Where the official release's trees come from, for a split that is missing. */
export const SST_SOURCE = 'trainDevTestTrees_PTB.zip from https://nlp.stanford.edu/sentiment/ (its trees/ folder)'

/** The package's own copy of the treebank (data/sst: all splits in a checkout, test.txt.gz in the npm package). */
export function defaultSstDir(): string {
  return path.join(packageRoot(), 'data', 'sst')
}

/** A split as plain `<split>.txt` (the release's layout) or gzipped `<split>.txt.gz` (the repository's). */
async function readSplitText(dir: string, split: SstSplit): Promise<{ file: string; text: string }> {
  const plain = path.join(dir, `${split}.txt`)
  const gzipped = `${plain}.gz`
  if (!existsSync(plain) && !existsSync(gzipped)) {
    fail('E_INPUT', `the SST ${split} split is missing: neither ${plain} nor ${gzipped} exists; get ${SST_SOURCE} and pass --data DIR`)
  }
  const file = existsSync(plain) ? plain : gzipped
  try {
    const bytes = await readFile(file)
    return { file, text: (file === gzipped ? await promisify(gunzip)(bytes) : bytes).toString('utf8') }
  } catch (error) {
    return fail('E_INPUT', `cannot read the SST ${split} split ${file}: ${(error as Error).message}`)
  }
}

export async function readSstTrees(dir: string, split: SstSplit): Promise<SstTree[]> {
  const { file, text } = await readSplitText(dir, split)
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, n) => {
      try {
        return parseSstTree(line)
      } catch (error) {
        return fail('E_INPUT', `${file} line ${n + 1}: ${(error as Error).message}`)
      }
    })
}

/** Whole sentences with their root label. */
export function sentences(trees: SstTree[]): LabelledPhrase[] {
  return trees.map((tree) => treePhrases(tree)[0])
}

/**
 * Every labelled phrase of the trees once (the same words always carry the same label in the
 * treebank, so duplicates, mostly single common words, would only reweight the data), in order of
 * first occurrence; compared lowercased, as the model sees them.
 */
export function uniquePhrases(trees: SstTree[]): LabelledPhrase[] {
  const seen = new Map<string, LabelledPhrase>()
  for (const tree of trees)
    for (const phrase of treePhrases(tree)) {
      const key = phrase.words.join(' ').toLowerCase()
      if (!seen.has(key)) seen.set(key, phrase)
    }
  return [...seen.values()]
}
