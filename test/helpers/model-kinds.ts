// The three small models the error tests give bad input to, one per input kind and readout, each with an input it accepts.
import type { SequenceInput } from '../../lib/index.js'
import { randomSequence, type RefArchitecture } from '../reference/random.js'
import { ARCHITECTURES } from './architectures.js'

export type ModelKind = 'vector' | 'token' | 'each'

/** vector: inputSize 3, 3 classes, readout last. token: vocabulary 17, width 5, 5 classes. each: inputSize 2, 2 outputs per step. */
export const KIND_ARCHITECTURES: Record<ModelKind, RefArchitecture> = {
  vector: ARCHITECTURES['uni, head bias'],
  token: ARCHITECTURES['bidirectional, embedding (SST-like)'],
  each: ARCHITECTURES['stacked uni, readout each'],
}

export const VALID_INPUTS: Record<ModelKind, SequenceInput> = {
  vector: randomSequence(1, 4, 3),
  token: { tokens: [1, 5, 16, 0] },
  each: randomSequence(2, 3, 2),
}
