/** The flags of the commands that load a model, declared once so their names, choices and help read the same in each. */
import { Option } from 'commander'
import type { BackendChoice } from '../backend/types.js'
import type { DType } from '../model/types.js'

const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'native', 'wasm']
const DTYPES: readonly DType[] = ['f32', 'f64']

export function modelOption(): Option {
  return new Option('--model <file>', 'model file (lstm-lrp safetensors; default: the shipped SST sentiment model)')
}

export function backendOption(): Option {
  return new Option('--backend <backend>', 'backend').choices(BACKEND_CHOICES)
}

export function dtypeOption(description = "compute dtype (default: the model file's)"): Option {
  return new Option('--dtype <dtype>', description).choices(DTYPES)
}
