// GRU architectures the GRU tests run over: both reset modes, each direction, depth, readout, and stacks mixing GRU and LSTM layers.
import { REF_PRESETS, type RefGruCell } from '../reference/model.js'
import type { RefArchitecture } from '../reference/random.js'

export const GRU_RESET_AFTER: RefGruCell = { type: 'gru', resetAfter: true }
export const GRU_RESET_BEFORE: RefGruCell = { type: 'gru', resetAfter: false }

export const GRU_ARCHITECTURES: Record<string, RefArchitecture> = {
  'GRU, head bias': {
    inputSize: 3,
    layers: [{ hiddenSize: 4, bidirectional: false, cell: GRU_RESET_AFTER }],
    outputs: 3,
    headBias: true,
    readout: 'last',
  },
  'GRU reset before U_n, readout each': {
    inputSize: 3,
    layers: [{ hiddenSize: 3, bidirectional: false, cell: GRU_RESET_BEFORE }],
    outputs: 2,
    headBias: true,
    readout: 'each',
  },
  'bi-GRU, embedding': {
    inputSize: 4,
    vocabSize: 13,
    layers: [{ hiddenSize: 3, bidirectional: true, cell: GRU_RESET_AFTER }],
    outputs: 3,
    headBias: false,
    readout: 'last',
  },
  'bi-GRU reset before U_n, readout each': {
    inputSize: 2,
    layers: [{ hiddenSize: 3, bidirectional: true, cell: GRU_RESET_BEFORE }],
    outputs: 2,
    headBias: false,
    readout: 'each',
  },
  'stacked GRU (bi over uni), head bias': {
    inputSize: 3,
    layers: [
      { hiddenSize: 3, bidirectional: false, cell: GRU_RESET_AFTER },
      { hiddenSize: 2, bidirectional: true, cell: GRU_RESET_AFTER },
    ],
    outputs: 2,
    headBias: true,
    readout: 'last',
  },
  'LSTM over GRU, readout each': {
    inputSize: 3,
    layers: [
      { hiddenSize: 3, bidirectional: true, cell: GRU_RESET_AFTER },
      { hiddenSize: 2, bidirectional: false, cell: REF_PRESETS.standard },
    ],
    outputs: 2,
    headBias: true,
    readout: 'each',
  },
  'GRU reset before over LSTM': {
    inputSize: 3,
    layers: [
      { hiddenSize: 3, bidirectional: false, cell: REF_PRESETS.standard },
      { hiddenSize: 3, bidirectional: true, cell: GRU_RESET_BEFORE },
    ],
    outputs: 3,
    headBias: true,
    readout: 'last',
  },
}
