// The SST test sentences as the shipped model's token ids: the inputs of the SST rows of `npm run bench`.
import type { ModelConfig, SequenceInput } from '../lib/index.js'
import { encodeTokens } from '../lib/text/vocabulary.js'
import { defaultSstDir, readSstTrees, sentences } from '../lib/reproduce/sst/data.js'

export async function sstTokenInputs(config: ModelConfig): Promise<{ tokens: number[] }[]> {
  if (config.tokenizer === undefined) throw new Error('the SST model has no tokenizer')
  const tokenizer = config.tokenizer
  return sentences(await readSstTrees(defaultSstDir(), 'test')).map((phrase) => ({ tokens: encodeTokens(phrase.words, tokenizer).ids }))
}

/** Sentences in the SST rows' `explainBatch` calls (and in bench/speed-of-light.cc's batch). */
export const SST_BATCH_SIZE = 2048

/** count inputs drawn in turn from `inputs` (the test set has 2 210 sentences). */
export function cycle(inputs: SequenceInput[], count: number): SequenceInput[] {
  return Array.from({ length: count }, (_, n) => inputs[n % inputs.length])
}
