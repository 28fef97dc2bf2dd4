/**
 * Test accuracy on full sentences as the paper reports it: five-class (argmax) and binary.
 * Binary drops the neutral sentences; the truth is positive for labels 3–4 and negative for 0–1,
 * and the model says positive when p(3) + p(4) > p(0) + p(1) (its neutral probability is ignored).
 */
import type { Model } from '../../model/model.js'
import type { LabelledPhrase } from '../../text/sst-tree.js'
import { encodeTokens } from '../../text/vocabulary.js'
import { fail } from '../../errors.js'

export interface SstAccuracy {
  fiveClass: number
  binary: number
  sentences: number
  binarySentences: number
}

const NEUTRAL = 2

export function binaryPositive(probabilities: ArrayLike<number>): boolean {
  return probabilities[3] + probabilities[4] > probabilities[0] + probabilities[1]
}

export function sentenceTokens(model: Model, words: readonly string[]): number[] {
  const tokenizer = model.config.tokenizer ?? fail('E_CONFIG', 'the SST model has no tokenizer')
  return encodeTokens(words, tokenizer).ids
}

export function sstAccuracy(model: Model, items: LabelledPhrase[]): SstAccuracy {
  let correct = 0
  let binaryCorrect = 0
  let binarySentences = 0
  for (const { words, label } of items) {
    const { probabilities, label: predicted } = model.predict({ tokens: sentenceTokens(model, words) })
    if (predicted === label) correct++
    if (label === NEUTRAL) continue
    binarySentences++
    if (binaryPositive(probabilities!) === label > NEUTRAL) binaryCorrect++
  }
  return { fiveClass: correct / items.length, binary: binaryCorrect / binarySentences, sentences: items.length, binarySentences }
}
