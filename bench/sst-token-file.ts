// Writes the SST rows' batch of `npm run bench` (SST_BATCH_SIZE test sentences, drawn in turn) as token ids,
// one sentence a line: the input of bench/speed-of-light.cc. Run: tsx bench/sst-token-file.ts <file>
import { writeFileSync } from 'node:fs'
import { defaultModelPath, loadModel } from '../lib/index.js'
import { cycle, SST_BATCH_SIZE, sstTokenInputs } from './sst-inputs.js'

const [file] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: tsx bench/sst-token-file.ts <file>')
  process.exit(2)
}
const model = await loadModel(defaultModelPath(), { backend: 'native' })
const sentences = cycle(await sstTokenInputs(model.config), SST_BATCH_SIZE) as { tokens: number[] }[]
model.dispose()
writeFileSync(file, sentences.map(({ tokens }) => tokens.join(' ')).join('\n') + '\n')
