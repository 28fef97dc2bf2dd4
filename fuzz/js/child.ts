/**
 * One long-lived fuzzing child (run.ts starts a few): takes cases over IPC, runs each against the
 * built package (dist/) and replies with how it ended. Anything that kills or stalls this process
 * is seen by the parent as a crash, an out-of-memory or a hang.
 */
import { createModel, importModel, loadModel } from '../../dist/index.js'
import { openInputSource, type InputFormat } from '../../dist/cli/input/source.js'
import { writeModelFile } from '../../dist/model/tensors.js'
import type { Model } from '../../dist/index.js'

export interface FuzzCase {
  target: string
  /** The mutated file (model.json for tfjs targets). */
  file: string
}

export type CaseOutcome = { ended: 'ok' } | { ended: 'threw'; name: string; code?: string; message: string; stack?: string }

const IMPORT_FORMATS: Record<string, 'pytorch' | 'onnx' | 'keras' | 'tfjs'> = {
  pytorch: 'pytorch',
  onnx: 'onnx',
  keras: 'keras',
  'tfjs-json': 'tfjs',
  'tfjs-shard': 'tfjs',
}
const INPUT_FORMATS: Record<string, InputFormat> = { jsonl: 'auto', text: 'text', csv: 'csv', tsv: 'tsv' }

const textModel = await loadModel(new URL('../../models/sst-bilstm.safetensors', import.meta.url).pathname)
const numericModel = await createModel({ inputSize: 3, layers: [{ hiddenSize: 4 }], head: { outputs: 2 } }, { seed: 1 })

/** Like `lstm-lrp predict`: the records of an input, each predicted by a model that takes them. */
async function predictInputs(file: string, format: InputFormat, model: Model): Promise<void> {
  const source = await openInputSource({ input: file, inputFormat: format }, model.config)
  for await (const records of source.chunks) for (const record of records) model.predict(record.input)
}

async function run(fuzzCase: FuzzCase): Promise<void> {
  const format = IMPORT_FORMATS[fuzzCase.target]
  if (format !== undefined) {
    const imported = await importModel(fuzzCase.file, format, undefined, { timeout: 5 })
    // What convert does next: the imported model is written as an lstm-lrp file and must load.
    ;(await loadModel(writeModelFile(imported.config, imported.tensors))).dispose()
    return
  }
  const inputFormat = INPUT_FORMATS[fuzzCase.target]
  await predictInputs(fuzzCase.file, inputFormat, fuzzCase.target === 'csv' || fuzzCase.target === 'tsv' ? numericModel : textModel)
}

process.on('message', (fuzzCase: FuzzCase) => {
  run(fuzzCase).then(
    () => process.send?.({ ended: 'ok' } satisfies CaseOutcome),
    (error: unknown) => {
      const thrown = error instanceof Error ? error : new Error(String(error))
      process.send?.({ ended: 'threw', name: thrown.name, code: (thrown as { code?: string }).code, message: thrown.message, stack: thrown.stack } satisfies CaseOutcome)
    },
  )
})
process.send?.({ ended: 'ok' } satisfies CaseOutcome)
