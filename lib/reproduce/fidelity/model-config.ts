/**
 * The 17-parameter models of Table 11.2's toy addition and subtraction: one standard LSTM cell
 * over two features and a bias-free linear head on the last step. examples/toy-addition.safetensors
 * has this architecture, with hand-set weights.
 */
export const FIDELITY_MODEL_CONFIG = {
  inputSize: 2,
  layers: [{ hiddenSize: 1, bidirectional: false, cell: 'standard' }],
  head: { outputs: 1, bias: false, readout: 'last' },
  task: 'regression',
}
