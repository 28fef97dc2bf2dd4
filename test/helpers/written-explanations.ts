// The text `lstm-lrp explain` writes for explained inputs in one format, collected in memory.
import { explanationWriter, type ExplainedInput, type ExplainFormat, type WriterSettings } from '../../lib/cli/explain-output.js'
import type { OutputSink } from '../../lib/cli/output-sink.js'
import type { ModelConfig } from '../../lib/model/types.js'

export async function written(config: ModelConfig, format: ExplainFormat, inputs: ExplainedInput[], settings: WriterSettings = { toTerminal: false }): Promise<string> {
  const parts: string[] = []
  const sink = { write: async (text: string) => void parts.push(text) } as unknown as OutputSink
  const writer = explanationWriter(format, sink, config, settings)
  await writer.write(inputs)
  await writer.finish()
  return parts.join('')
}
