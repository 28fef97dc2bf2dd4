/** The model architecture as the file format stores it (docs/MODEL-CONFIG.md), with every default filled in. */

export type DType = 'f32' | 'f64'
export type GActivation = 'tanh' | 'sigmoid' | 'relu' | 'identity'
export type HActivation = 'tanh' | 'identity'
export type GateName = 'i' | 'f' | 'o'
export type BlockName = 'z' | 'i' | 'f' | 'o'
export type Readout = 'last' | 'each'
export type Task = 'classification' | 'regression'
export type PresetName = 'standard' | 'lrp-nondecreasing' | 'markov' | 'gateless'

export interface Connection {
  input: boolean
  recurrent: boolean
}

/** A fully resolved LSTM cell configuration (docs/METHODS.md § Forward pass); `type` is absent (an LSTM). */
export interface LstmCellConfig {
  preset: PresetName
  g: GActivation
  gScale: number
  h: HActivation
  hScale: number
  gates: Record<GateName, boolean>
  connections: Record<BlockName, Connection>
}

/** A GRU cell (docs/MODEL-CONFIG.md): resetAfter applies the reset gate after U_n (PyTorch's and Keras' default). */
export interface GruCellConfig {
  type: 'gru'
  resetAfter: boolean
}

export type CellConfig = LstmCellConfig | GruCellConfig

export interface LayerConfig {
  hiddenSize: number
  bidirectional: boolean
  cell: CellConfig
}

export interface HeadConfig {
  outputs: number
  bias: boolean
  readout: Readout
}

export interface TokenizerConfig {
  lowercase: boolean
  vocab: string[]
}

export interface ModelConfig {
  inputSize: number
  embedding?: { vocabSize: number }
  layers: LayerConfig[]
  head: HeadConfig
  task: Task
  labels?: string[]
  tokenizer?: TokenizerConfig
}

export type FloatArray = Float32Array | Float64Array

export interface Tensor {
  dtype: DType
  shape: number[]
  data: FloatArray
}
