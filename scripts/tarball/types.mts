// Type-checked (not run) as an ES module against dist/index.d.ts.
import { loadModel, backendInfo, LstmLrpError, type ExplainOptions, type Model } from 'lstm-lrp'

export async function explain(file: string): Promise<Float32Array | Float64Array> {
  const model: Model = await loadModel(file)
  const options: ExplainOptions = { method: 'occlusion' }
  if (backendInfo().backend !== 'native') throw new LstmLrpError('E_BACKEND', 'not native')
  return model.explain([[0, 1]], options).relevance
}
