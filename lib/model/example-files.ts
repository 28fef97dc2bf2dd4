/** The example files the package ships (Node), so the documentation's samples run in any project. */
import path from 'node:path'
import { packageRoot } from '../backend/package-root.js'
import { describeValue } from '../describe-value.js'
import { fail } from '../errors.js'

/** Each example's model and its inputs (JSON lines), relative to the package root. */
const EXAMPLES: Record<string, { model: string; data: string }> = {
  // The paper's addition task with a hand-set one-cell LSTM (examples/make-toy-addition.ts writes both files).
  'toy-addition': { model: 'examples/toy-addition.safetensors', data: 'examples/toy-addition.jsonl' },
}

function example(name: string): { model: string; data: string } {
  if (typeof name !== 'string' || !Object.hasOwn(EXAMPLES, name)) {
    fail('E_OPTIONS', `unknown example ${describeValue(name)} (the package ships: ${Object.keys(EXAMPLES).join(', ')})`)
  }
  return EXAMPLES[name]
}

/** Absolute path of a shipped example model, e.g. `exampleModelPath('toy-addition')`. */
export function exampleModelPath(name: string): string {
  return path.join(packageRoot(), example(name).model)
}

/** Absolute path of a shipped example's inputs, one `{"x": [[...]]}` JSON line per sequence. */
export function exampleDataPath(name: string): string {
  return path.join(packageRoot(), example(name).data)
}
