// Plain float64 model description used by the test reference (docs/METHODS.md).
// Deliberately independent of lib/ and native/: this is the oracle.

export type Block = 'z' | 'i' | 'f' | 'o'
export type Gate = 'i' | 'f' | 'o'

/** Block order of the stacked weight matrices W, U and b. */
export const BLOCKS: readonly Block[] = ['z', 'i', 'f', 'o']

export interface Connection {
  input: boolean
  recurrent: boolean
}

export interface RefCell {
  g: 'tanh' | 'sigmoid' | 'relu' | 'identity'
  gScale: number
  h: 'tanh' | 'identity'
  hScale: number
  gates: { i: boolean; f: boolean; o: boolean }
  connections: Record<Block, Connection>
}

/** A GRU layer's cell (docs/METHODS.md "GRU layers"): reset after (PyTorch) or before (Keras' reset_after=false) U_n. */
export interface RefGruCell {
  type: 'gru'
  resetAfter: boolean
}

export type RefLayerCell = RefCell | RefGruCell

export type GruBlock = 'r' | 'u' | 'n'

/** Block order of a GRU layer's W, U and b: reset, update, candidate. */
export const GRU_BLOCKS: readonly GruBlock[] = ['r', 'u', 'n']

export function isGruCell(cell: RefLayerCell): cell is RefGruCell {
  return 'type' in cell && cell.type === 'gru'
}

export interface RefDirection {
  W: number[][] /* LSTM: 4H x I, blocks z,i,f,o; GRU: 3H x I, blocks r,u,n */
  U: number[][] /* 4H (3H) x H */
  b: number[] /* 4H (3H) */
  /** b_hn, H: a GRU layer with resetAfter only. */
  bHn?: number[]
}

export interface RefLayer {
  hiddenSize: number
  bidirectional: boolean
  cell: RefLayerCell
  fwd: RefDirection
  bwd?: RefDirection
}

export interface RefModel {
  inputSize: number
  embedding?: number[][] /* V x inputSize */
  layers: RefLayer[]
  head: { weight: number[][] /* C x D */; bias?: number[]; readout: 'last' | 'each' }
}

/** `x` is always the (already embedded) input vectors; `tokens` needs an embedding. */
export type RefInput = { x: number[][] } | { tokens: number[] }

/** The z block is always there; an absent gate is the constant 1 with no pre-activation. */
export function blockPresent(cell: RefCell, block: Block): boolean {
  return block === 'z' || cell.gates[block]
}

const both: Connection = { input: true, recurrent: true }
const inputOnly: Connection = { input: true, recurrent: false }
const recurrentOnly: Connection = { input: false, recurrent: true }
const none: Connection = { input: false, recurrent: false }

const lrpNondecreasing: RefCell = {
  g: 'sigmoid',
  gScale: 2,
  h: 'tanh',
  hScale: 1,
  gates: { i: true, f: false, o: true },
  connections: { z: inputOnly, i: recurrentOnly, f: none, o: recurrentOnly },
}

export const REF_PRESETS: Record<'standard' | 'lrp-nondecreasing' | 'markov' | 'gateless', RefCell> = {
  standard: {
    g: 'tanh',
    gScale: 1,
    h: 'tanh',
    hScale: 1,
    gates: { i: true, f: true, o: true },
    connections: { z: both, i: both, f: both, o: both },
  },
  'lrp-nondecreasing': lrpNondecreasing,
  markov: { ...lrpNondecreasing, gates: { i: true, f: false, o: false } },
  gateless: {
    g: 'sigmoid',
    gScale: 2,
    h: 'tanh',
    hScale: 1,
    gates: { i: false, f: false, o: false },
    connections: { z: inputOnly, i: none, f: none, o: none },
  },
}

/** Width of the vectors a layer reads: the model input, or [y_fwd; y_bwd] of the layer below. */
export function layerInputSize(model: RefModel, layerIndex: number): number {
  if (layerIndex === 0) return model.inputSize
  return layerOutputSize(model.layers[layerIndex - 1])
}

export function layerOutputSize(layer: RefLayer): number {
  return layer.hiddenSize * (layer.bidirectional ? 2 : 1)
}
