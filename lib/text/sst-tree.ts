/**
 * Stanford Sentiment Treebank trees (PTB style, one per line): `(3 (2 The) (4 (3 good) (2 film)))`,
 * every node labelled 0..4. Leaves keep the treebank's spelling (`-LRB-`, `\/`, original case).
 */
import { fail } from '../errors.js'

export type SstTree = { label: number; word: string } | { label: number; children: SstTree[] }

export interface LabelledPhrase {
  words: string[]
  label: number
}

function treeError(line: string, position: number, message: string): never {
  fail('E_INPUT', `SST tree, character ${position}: ${message} (in '${line.length > 60 ? `${line.slice(0, 57)}...` : line}')`)
}

/** Deeper than any treebank sentence by far; bounds the parser's recursion on hostile lines. */
const MAX_DEPTH = 1000

/** Parses one tree; throws E_INPUT naming the position of the first problem. */
export function parseSstTree(line: string): SstTree {
  let position = 0
  const skipSpaces = () => {
    while (position < line.length && line[position] === ' ') position++
  }
  const node = (depth: number): SstTree => {
    skipSpaces()
    if (line[position] !== '(') treeError(line, position, "expected '('")
    if (depth > MAX_DEPTH) treeError(line, position, `subtrees nested deeper than ${MAX_DEPTH} levels`)
    position++
    const labelMatch = /^[0-4](?= )/.exec(line.slice(position, position + 2))
    if (labelMatch === null) treeError(line, position, 'expected a label 0..4 and a space')
    const label = Number(labelMatch[0])
    position += 1
    skipSpaces()
    let tree: SstTree
    if (line[position] === '(') {
      const children: SstTree[] = []
      while (line[position] === '(') {
        children.push(node(depth + 1))
        skipSpaces()
      }
      tree = { label, children }
    } else {
      const start = position
      while (position < line.length && !' ()'.includes(line[position])) position++
      if (position === start) treeError(line, position, 'expected a word or a subtree')
      tree = { label, word: line.slice(start, position) }
      skipSpaces()
    }
    if (line[position] !== ')') treeError(line, position, "expected ')'")
    position++
    return tree
  }
  const tree = node(1)
  skipSpaces()
  if (position !== line.trimEnd().length) treeError(line, position, 'text after the tree')
  return tree
}

/** The tree's words, left to right. */
export function treeWords(tree: SstTree): string[] {
  return 'word' in tree ? [tree.word] : tree.children.flatMap(treeWords)
}

/** Every node as a labelled phrase (its words and its label), the root first. */
export function treePhrases(tree: SstTree): LabelledPhrase[] {
  const phrases: LabelledPhrase[] = []
  const visit = (node: SstTree): string[] => {
    const entry: LabelledPhrase = { words: [], label: node.label }
    phrases.push(entry)
    entry.words = 'word' in node ? [node.word] : node.children.flatMap(visit)
    return entry.words
  }
  visit(tree)
  return phrases
}
