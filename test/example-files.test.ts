// The shipped example files that the README's samples load: exampleModelPath and exampleDataPath.
import test from 'ava'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { exampleDataPath, exampleModelPath, loadModel, LstmLrpError } from '../lib/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> }

test("exampleModelPath('toy-addition') is the absolute path of the toy model, which explains its own inputs", async (t) => {
  const file = exampleModelPath('toy-addition')
  t.is(file, path.join(root, 'examples', 'toy-addition.safetensors'))
  const inputs = readFileSync(exampleDataPath('toy-addition'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).x as number[][])
  t.true(inputs.length >= 3)
  const model = await loadModel(file)
  const perStep = model.explain(inputs[0]).perStep
  model.dispose()
  t.is(perStep.length, inputs[0].length)
})

test('the example files ship in the package and can be imported by path (lstm-lrp/examples/...)', (t) => {
  for (const file of [exampleModelPath('toy-addition'), exampleDataPath('toy-addition')]) {
    t.true(manifest.files.includes(path.relative(root, file).split(path.sep).join('/')), file)
  }
  t.is(manifest.exports['./examples/*'], './examples/*')
})

test('an unknown example name is E_OPTIONS naming the examples the package ships', (t) => {
  for (const name of ['toy-subtraction', '__proto__', 'toString', 42 as unknown as string]) {
    for (const lookup of [exampleModelPath, exampleDataPath]) {
      const error = t.throws(() => lookup(name), { instanceOf: LstmLrpError })
      t.is(error?.code, 'E_OPTIONS')
      t.regex(error?.message ?? '', /^unknown example .* \(the package ships: toy-addition\)$/)
    }
  }
})
