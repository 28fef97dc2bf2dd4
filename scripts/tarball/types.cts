// Type-checked (not run) as CommonJS against dist/index.d.cts.
import lstm = require('lstm-lrp')

export async function explain(file: string): Promise<Float32Array | Float64Array> {
  const model: lstm.Model = await lstm.loadModel(file, { backend: 'auto' })
  const info: lstm.BackendInfo = lstm.backendInfo()
  const options: lstm.ExplainOptions = { method: 'lrp', rule: 'all', eps: info.backend === 'native' ? 0.001 : 0.001 }
  return model.explain([[0, 1]], options).relevance
}

export const toyAddition: [string, string] = [lstm.exampleModelPath('toy-addition'), lstm.exampleDataPath('toy-addition')]
