// The browser entry itself: nothing it or lstm-lrp/default-model reaches is a Node built-in, and in
// Chromium its tokenizer and the shipped model (by defaultModelUrl) give what the Node entry gives.
import test from 'ava'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { defaultModelPath, loadModel, tokenizeText } from '../../lib/index.js'
import { assertClose } from '../helpers/compare.js'
import { repositoryInChromium } from '../helpers/repository-in-chromium.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const chromium = repositoryInChromium()

const SENTENCES = [
  'A gorgeous, witty and deeply moving film, though not a flawless one.',
  "I can't believe it's not the U.S. version -- it cannot be!",
  'He said "wow" (twice)... and the 2,500 extras?! Zxqvbn blorfish.',
  "Don't you think it's 1.5 hours too long / too loud * 2?",
]

for (const entry of ['dist/browser.js', 'dist/model/default-model-url.js']) {
  test(`${entry} bundles for browsers from the package's own files only (no Node built-in)`, async (t) => {
    // platform 'browser' fails the build on any node: or fs import; the inputs show every module reached.
    const result = await build({ entryPoints: [path.join(root, entry)], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' })
    const inputs = Object.keys(result.metafile.inputs)
    t.true(inputs.length > 0)
    t.deepEqual(
      inputs.filter((input) => !input.startsWith('dist/')),
      [],
    )
    t.deepEqual(
      Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((item) => item.path)),
      [],
    )
  })
}

test('in Chromium, the browser entry tokenizes as Node does and loads the shipped model from defaultModelUrl()', async (t) => {
  const page = await chromium.newPage()
  const inPage = (await page.evaluate(async (sentences) => {
    const api = await import(`${location.origin}/dist/browser.js`)
    const { defaultModelUrl } = await import(`${location.origin}/dist/model/default-model-url.js`)
    const model = await api.loadModel(defaultModelUrl())
    const encoded = sentences.map((sentence: string) => api.tokenizeText(sentence, model.config))
    const probabilities = encoded.map((text: { ids: number[] }) => Array.from(model.predict({ tokens: text.ids }).probabilities as ArrayLike<number>))
    return { url: String(defaultModelUrl()), encoded, probabilities }
  }, SENTENCES)) as { url: string; encoded: ReturnType<typeof tokenizeText>[]; probabilities: number[][] }
  await page.close()
  t.is(inPage.url, `${chromium.url()}/models/sst-bilstm.safetensors`)
  const model = await loadModel(defaultModelPath(), { backend: 'native' })
  t.teardown(() => model.dispose())
  SENTENCES.forEach((sentence, k) => {
    t.deepEqual(inPage.encoded[k], tokenizeText(sentence, model.config), sentence)
    assertClose(t, inPage.probabilities[k], model.predict({ tokens: inPage.encoded[k].ids }).probabilities!, 1e-5, sentence)
  })
  t.true(
    inPage.encoded.some((text) => text.unknown.length > 0),
    'a sentence has words outside the vocabulary',
  )
})
