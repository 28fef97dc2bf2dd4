/** The Stanford Sentiment Treebank splits (SPEC §6): sentences and labelled phrases, read from PTB trees. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { packageRoot } from '../../backend/package-root.js'
import { parseSstTree, treePhrases, type LabelledPhrase, type SstTree } from '../../text/sst-tree.js'
import { fail } from '../../errors.js'

export type SstSplit = 'train' | 'dev' | 'test'

export const SST_LABELS = ['very negative', 'negative', 'neutral', 'positive', 'very positive']

/** The treebank beside a checkout of the project (../shared/data/sst), where the repository keeps it. */
export function defaultSstDir(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'data', 'sst')
}

export async function readSstTrees(dir: string, split: SstSplit): Promise<SstTree[]> {
  const file = path.join(dir, `${split}.txt`)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return fail('E_INPUT', `cannot read the SST ${split} split ${file}: ${(error as Error).message} (pass --data DIR)`)
  }
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
