// Type-checked (not run) as an ES module against dist/index.d.ts.
import { loadModel, backendInfo, LstmLrpError, type ExplainOptions, type Model } from 'lstm-lrp'

export async function explain(file: string): Promise<Float32Array | Float64Array> {
  const model: Model = await loadModel(file)
  const options: ExplainOptions = { method: 'occlusion' }
  if (backendInfo().backend !== 'native') throw new LstmLrpError('E_BACKEND', 'not native')
  return model.explain([[0, 1]], options).relevance
}

// The reproduction's own entry point.
import { runSelectivity, type SelectivityResult } from 'lstm-lrp/reproduce'

export function selectivity(model: Model, sentences: string[][]): Promise<SelectivityResult> {
  return runSelectivity(
    model,
    sentences.map((words) => ({ words, label: 4 })),
    { randomRuns: 1, seed: 1 },
  )
}
