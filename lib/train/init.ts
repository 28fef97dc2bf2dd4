/**
 * Initial weights of a new model: seeded, per cell preset, overridable. Blocks the cell does not
 * use are left to the kernel, which zeroes them (the model's weights are read back from it).
 */
import type { BlockName, DType, ModelConfig, Tensor } from '../model/types.js'
import { isGruCell, PRESET_BIASES } from '../model/config.js'
import { expectedTensors } from '../model/tensors.js'
import type { InitOptions } from './types.js'
import { normal, seededRandom } from './random.js'

const BLOCKS: BlockName[] = ['z', 'i', 'f', 'o']

export function initialTensors(config: ModelConfig, dtype: DType, seed: number, options: InitOptions = {}): Map<string, Tensor> {
  const random = seededRandom(seed)
  const scale = options.scale ?? 1
  const uniform = (bound: number) => (2 * random() - 1) * bound
  const tensors = new Map<string, Tensor>()
  const specs = expectedTensors(config)
  const headFanIn = specs.find((spec) => spec.name === 'head.weight')!.shape[1]
  for (const { name, shape } of specs) {
    const size = shape.reduce((product, extent) => product * extent, 1)
    const data = dtype === 'f32' ? new Float32Array(size) : new Float64Array(size)
    const layer = /^layers\.(\d+)\./.exec(name)
    if (name === 'embedding.weight') {
      for (let k = 0; k < size; k++) data[k] = scale * normal(random)
    } else if (name === 'head.weight' || name === 'head.bias') {
      for (let k = 0; k < size; k++) data[k] = uniform(scale / Math.sqrt(headFanIn))
    } else if (layer) {
      const { hiddenSize, cell } = config.layers[Number(layer[1])]
      const bound = scale / Math.sqrt(hiddenSize)
      if (isGruCell(cell)) {
        // A GRU's biases (b, b_hn) start at zero.
        if (!name.endsWith('.b') && !name.endsWith('.b_hn')) for (let k = 0; k < size; k++) data[k] = uniform(bound)
      } else if (name.endsWith('.b')) {
        const biases = { ...PRESET_BIASES[cell.preset], ...options.biases }
        BLOCKS.forEach((block, k) => data.fill(biases[block], k * hiddenSize, (k + 1) * hiddenSize))
      } else {
        for (let k = 0; k < size; k++) data[k] = uniform(bound)
      }
    }
    tensors.set(name, { dtype, shape, data })
  }
  return tensors
}
