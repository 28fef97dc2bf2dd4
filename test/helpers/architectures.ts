// Architectures every kernel test runs over: each direction, depth, preset, readout and head kind.
import { REF_PRESETS, type RefCell } from '../reference/model.js'
import type { RefArchitecture } from '../reference/random.js'

/** relu g, identity h, no output gate, and connections that differ per block. */
export const CUSTOM_CELL: RefCell = {
  g: 'relu',
  gScale: 1.5,
  h: 'identity',
  hScale: 0.7,
  gates: { i: true, f: true, o: false },
  connections: {
    z: { input: true, recurrent: false },
    i: { input: false, recurrent: true },
    f: { input: true, recurrent: true },
    o: { input: true, recurrent: true },
  },
}

const sigmoidCell: RefCell = { ...REF_PRESETS.standard, g: 'sigmoid', gScale: 3, h: 'tanh', hScale: 2 }
const identityCell: RefCell = { ...REF_PRESETS.standard, g: 'identity', gScale: 1 }

export const ARCHITECTURES: Record<string, RefArchitecture> = {
  'uni, head bias': {
    inputSize: 3,
    layers: [{ hiddenSize: 4, bidirectional: false, cell: REF_PRESETS.standard }],
    outputs: 3,
    headBias: true,
    readout: 'last',
  },
  'bidirectional, embedding (SST-like)': {
    inputSize: 5,
    vocabSize: 17,
    layers: [{ hiddenSize: 4, bidirectional: true, cell: REF_PRESETS.standard }],
    outputs: 5,
    headBias: false,
    readout: 'last',
  },
  'stacked bidirectional, head bias': {
    inputSize: 3,
    layers: [
      { hiddenSize: 3, bidirectional: true, cell: REF_PRESETS.standard },
      { hiddenSize: 2, bidirectional: true, cell: REF_PRESETS.standard },
    ],
    outputs: 2,
    headBias: true,
    readout: 'last',
  },
  'stacked uni, readout each': {
    inputSize: 2,
    layers: [
      { hiddenSize: 3, bidirectional: false, cell: REF_PRESETS.standard },
      { hiddenSize: 3, bidirectional: false, cell: sigmoidCell },
    ],
    outputs: 2,
    headBias: true,
    readout: 'each',
  },
  'lrp-nondecreasing, bidirectional': {
    inputSize: 3,
    layers: [{ hiddenSize: 3, bidirectional: true, cell: REF_PRESETS['lrp-nondecreasing'] }],
    outputs: 2,
    headBias: false,
    readout: 'last',
  },
  'markov, readout each': {
    inputSize: 4,
    layers: [{ hiddenSize: 2, bidirectional: false, cell: REF_PRESETS.markov }],
    outputs: 1,
    headBias: false,
    readout: 'each',
  },
  'gateless over standard': {
    inputSize: 3,
    layers: [
      { hiddenSize: 3, bidirectional: false, cell: REF_PRESETS.gateless },
      { hiddenSize: 2, bidirectional: true, cell: identityCell },
    ],
    outputs: 3,
    headBias: true,
    readout: 'last',
  },
  'custom cell (relu g, identity h, no output gate, mixed connections)': {
    inputSize: 3,
    layers: [{ hiddenSize: 3, bidirectional: true, cell: CUSTOM_CELL }],
    outputs: 2,
    headBias: true,
    readout: 'last',
  },
}
