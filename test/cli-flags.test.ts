// Numeric flags take plain decimals only, and a flag the chosen method (or setting) ignores is refused, not dropped.
import test from 'ava'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { integerFlag, numberFlag } from '../lib/cli/number-flags.js'
import { UsageError } from '../lib/cli/usage.js'
import { runCli, runCliEach } from './helpers/run-cli.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toy = path.join(root, 'examples', 'toy-addition.safetensors')
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-cli-flags-'))
const config = path.join(work, 'config.json')
writeFileSync(config, JSON.stringify({ inputSize: 1, layers: [{ hiddenSize: 1 }], head: { outputs: 1 }, task: 'regression' }))
const data = path.join(work, 'data.jsonl')
writeFileSync(data, '{"x": [[1]], "y": [1]}\n')
const INPUT = '{"x": [[0.5, 0], [0, 0.3]]}\n'

/** Spellings Number() would accept (or read as 0) that are not plain decimals. */
const NOT_DECIMAL = ['0x10', '0o17', '0b11', '', ' ', ' 1', '1 ', 'Infinity', '-Infinity', 'NaN', '1abc', '1e', '1_000', '١']
/** Decimals that are not whole numbers, for integer flags. */
const NOT_WHOLE = ['1.5', '1e3', '2.0']

test('numberFlag takes decimals and nothing else', (t) => {
  for (const good of ['0', '-3', '+2', '0.5', '.5', '5.', '1e-3', '2E+4']) t.is(numberFlag(good, '--eps'), Number(good), good)
  for (const bad of NOT_DECIMAL) t.throws(() => numberFlag(bad, '--eps'), { instanceOf: UsageError, message: /^--eps must be a decimal number; got '/ }, JSON.stringify(bad))
})

test('integerFlag takes whole decimals and nothing else', (t) => {
  for (const good of ['0', '7', '-2', '+4']) t.is(integerFlag(good, '--seed'), Number(good), good)
  for (const bad of [...NOT_DECIMAL, ...NOT_WHOLE, '99999999999999999999'])
    t.throws(() => integerFlag(bad, '--seed'), { instanceOf: UsageError, message: /^--seed must be a whole decimal number; got '/ }, JSON.stringify(bad))
  t.throws(() => integerFlag('0', '--models', 1), { message: '--models must be an integer >= 1; got 0' })
})

interface FlagCase {
  flag: string
  integer: boolean
  /** The command line without the flag; the flag's value is appended as --flag=value. */
  args: string[]
  stdin?: string
}

const EXPLAIN = ['explain', '--model', toy, '--progress', 'never']
const FLAGS: FlagCase[] = [
  { flag: '--eps', integer: false, args: EXPLAIN, stdin: INPUT },
  { flag: '--product-eps', integer: false, args: EXPLAIN, stdin: INPUT },
  { flag: '--bias-factor', integer: false, args: EXPLAIN, stdin: INPUT },
  { flag: '--target', integer: true, args: EXPLAIN, stdin: INPUT },
  { flag: '--steps', integer: true, args: [...EXPLAIN, '--method', 'integrated-gradients'], stdin: INPUT },
  ...['--epochs', '--batch-size', '--seed', '--patience'].map((flag) => ({ flag, integer: true, args: ['train', '--config', config, '--data', data, '--validation', data, '--out', path.join(work, 'm.safetensors')] })),
  ...['--lr', '--clip-norm', '--weight-decay'].map((flag) => ({ flag, integer: false, args: ['train', '--config', config, '--data', data, '--out', path.join(work, 'm.safetensors')] })),
  ...['--models', '--seed', '--concurrency'].map((flag) => ({ flag, integer: true, args: ['reproduce', 'fidelity', '--out', path.join(work, 'fidelity')] })),
  ...['--sentences', '--random-runs', '--seed'].map((flag) => ({ flag, integer: true, args: ['reproduce', 'selectivity', '--out', path.join(work, 'selectivity')] })),
  ...['--models', '--episodes', '--seed'].map((flag) => ({ flag, integer: true, args: ['reproduce', 'reward-redistribution', '--out', path.join(work, 'reward')] })),
  ...['--inputs', '--length', '--seed'].map((flag) => ({ flag, integer: true, args: ['bench', '--model', toy] })),
]
/** A few spellings per flag on the command line (the parsers above see all of them). */
const SWEEP = ['0x10', '', ' ', 'Infinity', '1abc']

for (const { flag, integer, args, stdin } of FLAGS) {
  const command = args[0] === 'reproduce' ? `reproduce ${args[1]}` : args[0]
  test.serial(`${command} ${flag} refuses ${integer ? 'fractions and ' : ''}hex, blanks, Infinity and trailing garbage`, async (t) => {
    const spellings = integer ? [...SWEEP, '1.5'] : SWEEP
    const runs = await runCliEach(spellings.map((value) => ({ args: [...args, `${flag}=${value}`], stdin })))
    runs.forEach((result, n) => {
      t.is(result.code, 1, `${flag}=${JSON.stringify(spellings[n])}: ${result.stderr}`)
      // A class flag adds that a model without labels numbers its classes.
      t.regex(result.stderr, new RegExp(`^lstm-lrp: ${flag} must be a (whole )?decimal number; got '[^\\n]*'( \\(the model has no labels: [^\\n]*\\))?\\n$`), `${flag}=${JSON.stringify(spellings[n])}`)
    })
  })
}

test('explain --eps 0x10 is refused rather than read as 16', async (t) => {
  const result = await runCli([...EXPLAIN, '--eps', '0x10'], INPUT)
  t.is(result.code, 1)
  t.is(result.stderr, "lstm-lrp: --eps must be a decimal number; got '0x10'\n")
})

test('a huge --target is echoed cut short', async (t) => {
  const result = await runCli([...EXPLAIN, '--target', '1'.repeat(100_000)], INPUT)
  t.is(result.code, 1)
  t.regex(result.stderr, /--target must be a whole decimal number; got '1+\.\.\. \(100000 characters\)'/)
  t.true(result.stderr.length < 300, `${result.stderr.length} characters`)
})

const REMOVING = ['occlusion', 'shapley', 'kernel-shap', 'lime']
const SAMPLING = ['shapley', 'kernel-shap', 'lime', 'smoothgrad']
/** Each method-specific flag with every method that reads it. */
const METHOD_FLAGS: [string[], string[]][] = [
  [['lrp'], ['--rule', 'half']],
  [['lrp'], ['--rules', 'input=prop']],
  [['lrp'], ['--eps', '0.1']],
  [['lrp'], ['--product-eps', '0.1']],
  [['lrp'], ['--bias-factor', '0.5']],
  [['lrp'], ['--init', 'one']],
  [REMOVING, ['--occlusion-score', 'prob']],
  [REMOVING, ['--occlusion-replacement', 'delete']],
  [['cd'], ['--cd-convention', 'inclusive']],
  [['cd'], ['--cd-phrase', '0,1']],
  [
    ['integrated-gradients', 'smoothgrad'],
    ['--steps', '8'],
  ],
  [
    ['integrated-gradients', 'smoothgrad'],
    ['--ig-rule', 'gauss-legendre'],
  ],
  [['shapley'], ['--shapley-samples', '4']],
  [
    ['kernel-shap', 'lime', 'smoothgrad'],
    ['--samples', '8'],
  ],
  [['lime'], ['--lime-kernel-width', '0.5']],
  [['lime'], ['--lime-ridge', '0.5']],
  [['smoothgrad'], ['--noise', '0.05']],
  [['smoothgrad'], ['--smooth-over', 'gradient-x-input']],
  [SAMPLING, ['--seed', '7']],
]
const METHODS = ['lrp', 'gradient', 'gradient-x-input', 'occlusion', 'cd', 'integrated-gradients', ...SAMPLING]

test.serial('explain refuses a flag the chosen method ignores, naming the flag and the method', async (t) => {
  const cases = METHOD_FLAGS.flatMap(([owners, flag]) => METHODS.filter((method) => !owners.includes(method)).map((method) => ({ owners, flag, method })))
  const runs = await runCliEach(cases.map(({ flag, method }) => ({ args: [...EXPLAIN, '--method', method, ...flag], stdin: INPUT })))
  runs.forEach((result, n) => {
    const { owners, flag, method } = cases[n]
    t.is(result.code, 1, `${flag[0]} with ${method}: ${result.stderr}`)
    t.is(result.stderr, `lstm-lrp: ${flag[0]} applies to --method ${owners.join(', ')}, not to --method ${method}\n`)
  })
})

test.serial('explain takes each method-specific flag with each method that reads it', async (t) => {
  const cases = METHOD_FLAGS.flatMap(([owners, flag]) => owners.map((method) => [method, ...flag]))
  const runs = await runCliEach(cases.map(([method, ...flag]) => ({ args: [...EXPLAIN, '--method', method, ...flag], stdin: INPUT })))
  runs.forEach((result, n) => t.is(result.code, 0, `${cases[n].join(' ')}: ${result.stderr}`))
})

test('train refuses --patience without --validation', async (t) => {
  const result = await runCli(['train', '--config', config, '--data', data, '--out', path.join(work, 'p.safetensors'), '--patience', '2'])
  t.is(result.code, 1)
  t.is(result.stderr, 'lstm-lrp: --patience counts epochs without a better validation loss: it needs --validation\n')
})
