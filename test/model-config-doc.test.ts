// docs/MODEL-CONFIG.md cannot drift from the validator: its examples are valid configs, its key
// table lists exactly the keys lib/model/config.ts accepts, and its preset table is PRESETS.
import test from 'ava'
import { readFileSync } from 'node:fs'
import { createModel, tokenizeText } from '../lib/index.js'
import { BLOCK_NAMES, CELL_KEYS, CONFIG_KEYS, CONNECTION_KEYS, EMBEDDING_KEYS, GATE_NAMES, GRU_CELL_KEYS, HEAD_KEYS, LAYER_KEYS, parseConfig, PRESETS, TOKENIZER_KEYS } from '../lib/model/config.js'
import type { PresetName } from '../lib/model/types.js'
import { codeBlocks } from './helpers/markdown.js'

const doc = readFileSync(new URL('../docs/MODEL-CONFIG.md', import.meta.url), 'utf8')
const examples = codeBlocks(doc, 'json').map((block) => JSON.parse(block) as Record<string, unknown>)

/** The first cells of the rows of the table under `## heading`. */
function tableRows(heading: string): string[][] {
  const section = doc.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) => line.slice(2, -2).split(' | '))
}

/** Every key path the validator accepts, written as the doc's key table writes them. */
const acceptedKeyPaths = [
  ...CONFIG_KEYS,
  ...EMBEDDING_KEYS.map((key) => `embedding.${key}`),
  ...LAYER_KEYS.map((key) => `layers[].${key}`),
  ...new Set([...CELL_KEYS, ...GRU_CELL_KEYS].map((key) => `layers[].cell.${key}`)),
  ...GATE_NAMES.map((gate) => `layers[].cell.gates.${gate}`),
  'layers[].cell.connections.<block>',
  ...CONNECTION_KEYS.map((key) => `layers[].cell.connections.<block>.${key}`),
  ...HEAD_KEYS.map((key) => `head.${key}`),
  ...TOKENIZER_KEYS.map((key) => `tokenizer.${key}`),
]

test('the doc has a text model and a numeric model, and every ```json block of it is a valid config', async (t) => {
  t.true(
    examples.some((config) => config.embedding !== undefined && config.tokenizer !== undefined && config.labels !== undefined),
    'a text model',
  )
  t.true(
    examples.some((config) => config.embedding === undefined),
    'a numeric model',
  )
  for (const config of examples) {
    t.notThrows(() => parseConfig(config), JSON.stringify(config))
    const model = await createModel(config, { seed: 1 })
    if (model.config.tokenizer !== undefined) t.is(model.predict({ tokens: tokenizeText('A good film.', model.config).ids }).scores.length, 2)
    model.dispose()
  }
})

test('the key table lists exactly the keys the validator accepts', (t) => {
  const documented = tableRows('Keys').map(([key]) => key.replace(/^`|`$/g, ''))
  t.deepEqual([...documented].sort(), [...acceptedKeyPaths].sort())
  const blockRow = tableRows('Keys')
    .find(([key]) => key === '`layers[].cell.connections.<block>`')!
    .join(' ')
  for (const block of BLOCK_NAMES) t.true(blockRow.includes(`\`${block}\``), `block ${block}`)
})

test('the preset table is PRESETS', (t) => {
  const rows = tableRows('Cells')
  const connection = ({ input, recurrent }: { input: boolean; recurrent: boolean }) => (input && recurrent ? 'input + recurrent' : input ? 'input' : recurrent ? 'recurrent' : 'none')
  t.deepEqual(rows.map(([name]) => name.replace(/`/g, '')).sort(), Object.keys(PRESETS).sort())
  for (const [name, g, h, gates, ...blocks] of rows) {
    const cell = PRESETS[name.replace(/`/g, '') as PresetName]
    const present = GATE_NAMES.filter((gate) => cell.gates[gate])
    t.deepEqual(
      [g, h, gates, ...blocks],
      [`${cell.g}, ${cell.gScale}`, `${cell.h}, ${cell.hScale}`, present.length === 3 ? 'all' : present.length === 0 ? 'none' : present.join(', '), ...BLOCK_NAMES.map((block) => connection(cell.connections[block]))],
      name,
    )
  }
})
