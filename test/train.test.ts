// Training (docs/METHODS.md § Training): parameter gradients against finite differences for every architecture and
// loss, the paper's toy tasks, reproducibility, batches without cross-talk, the CLI, and errors.
import test from 'ava'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createModel, loadModel, type LossName, type TrainItem } from '../lib/index.js'
import { randomRefModel, mulberry32 } from './reference/random.js'
import { refModelFile } from './helpers/ref-to-file.js'
import { assertBatchIsWeightedSum, assertFiniteDifferenceGradients, itemsFor } from './helpers/gradient-checks.js'
import { ARCHITECTURES } from './helpers/architectures.js'
import { delayedReward, toyArithmetic } from './helpers/tasks.js'
import { runCli } from './helpers/run-cli.js'

for (const [index, name] of Object.keys(ARCHITECTURES).entries()) {
  for (const loss of ['mse', 'cross-entropy'] as LossName[]) {
    test(`${name}, ${loss}: parameter gradients match central finite differences (f64)`, async (t) => {
      const model = await loadModel(refModelFile(randomRefModel(700 + index, ARCHITECTURES[name]), 'f64'))
      assertFiniteDifferenceGradients(t, model, itemsFor(model, loss, index), loss, index)
      model.dispose()
    })
  }
}

test('a batch of variable-length sequences has the gradient of its sequences, weighted by their score rows', async (t) => {
  const model = await loadModel(refModelFile(randomRefModel(31, ARCHITECTURES['stacked uni, readout each']), 'f64'))
  assertBatchIsWeightedSum(t, model, itemsFor(model, 'mse', 3))
  model.dispose()
})

test('a one-cell standard LSTM learns the toy addition task to validation MSE < 1e-4', async (t) => {
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 1 }], head: { outputs: 1, bias: false }, task: 'regression' }, { seed: 1 })
  t.is(
    [...model.weights.values()].reduce((count, tensor) => count + tensor.data.length, 0),
    4 * (2 + 1 + 1) + 1,
    '17 parameters',
  )
  const report = await model.train(toyArithmetic('addition', 10000, 4, 10, 1), {
    epochs: 200,
    batchSize: 16,
    lr: 0.003,
    seed: 1,
    validation: toyArithmetic('addition', 2500, 11, 12, 2),
    stopAtLoss: 1e-4,
  })
  t.true(report.best!.validation!.loss < 1e-4, `validation MSE ${report.best!.validation!.loss} after ${report.epochs} epochs`)
  const test = await model.evaluate(toyArithmetic('addition', 2500, 13, 14, 3))
  t.true(test.loss < 2e-4, `test MSE ${test.loss}`)
  model.dispose()
})

test('a markov LSTM learns a delayed-reward task, and its unused blocks stay zero', async (t) => {
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 4, cell: 'markov' }], head: { outputs: 1, bias: true }, task: 'regression' }, { seed: 3 })
  const report = await model.train(delayedReward(2000, 5), { epochs: 40, batchSize: 16, lr: 0.01, seed: 3, validation: delayedReward(500, 6) })
  const variance = 1.6 * 0.2 * 0.8 * 12 // roughly Var(count) for ~12 steps
  t.true(report.best!.validation!.loss < 0.1 * variance, `validation MSE ${report.best!.validation!.loss}`)
  const H = 4
  const W = model.weights.get('layers.0.fwd.W')!.data
  const U = model.weights.get('layers.0.fwd.U')!.data
  const b = model.weights.get('layers.0.fwd.b')!.data
  const zeroRows = (data: ArrayLike<number>, width: number, blocks: number[]) => blocks.every((block) => Array.from({ length: H * width }, (_, k) => data[block * H * width + k]).every((v) => v === 0))
  t.true(zeroRows(W, 2, [1, 2, 3]), 'W: only z reads the input')
  t.true(zeroRows(U, H, [0, 2, 3]), 'U: only i is recurrent')
  t.true(zeroRows(b, 1, [2, 3]), 'no forget or output gate bias')
  model.dispose()
})

test('the same seed, data and backend give the same weights bit for bit; another seed does not', async (t) => {
  const config = { inputSize: 2, layers: [{ hiddenSize: 3, bidirectional: true }], head: { outputs: 1 }, task: 'regression' }
  const data = toyArithmetic('subtraction', 300, 4, 8, 9)
  const run = async (seed: number) => {
    const model = await createModel(config, { seed })
    await model.train(data, { epochs: 3, batchSize: 8, seed })
    const bytes = Buffer.concat([...model.weights.values()].map((tensor) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)))
    model.dispose()
    return bytes
  }
  const first = await run(4)
  t.true(first.equals(await run(4)))
  t.false(first.equals(await run(5)))
})

test('classification on tokens with early stopping keeps the best validation epoch', async (t) => {
  const next = mulberry32(8)
  // Class 1 exactly when token 3 occurs.
  const make = (count: number) =>
    Array.from({ length: count }, () => {
      const tokens = Array.from({ length: 3 + Math.floor(next() * 6) }, () => Math.floor(next() * 10))
      return { input: { tokens }, target: tokens.includes(3) ? 1 : 0 }
    })
  const model = await createModel({ inputSize: 6, embedding: { vocabSize: 10 }, layers: [{ hiddenSize: 6, bidirectional: true }], head: { outputs: 2 }, task: 'classification' }, { seed: 2 })
  const validation = make(200)
  const report = await model.train(make(800), { epochs: 30, lr: 0.01, seed: 2, validation, patience: 3, monitor: 'accuracy' })
  const kept = await model.evaluate(validation)
  t.is(kept.accuracy, report.best!.validation!.accuracy)
  t.true(kept.accuracy! > 0.95, `accuracy ${kept.accuracy}`)
  t.true(report.history.length <= 30)
  model.dispose()
})

test('training validates its data and options, and other calls wait for it', async (t) => {
  const model = await createModel({ inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 3 }, task: 'classification' }, { seed: 1 })
  const good = { input: [[1, 0]], target: 2 }
  const cases: [unknown, object, string, RegExp][] = [
    [[], {}, 'E_TRAIN_DATA', /data must be a non-empty array/],
    [[{ input: [[1, 0]] }], {}, 'E_TRAIN_DATA', /data\[0\] must be an object \{ input, target \}/],
    [[good, { input: [[1, 0]], target: 3 }], {}, 'E_TRAIN_DATA', /data\[1\]: target class 3 is not an integer in \[0, 3\)/],
    [[good, { input: [[1, 0]], target: 0.5 }], {}, 'E_TRAIN_DATA', /data\[1\]: target class 0\.5/],
    [[{ input: [[1, 0, 0]], target: 1 }], {}, 'E_INPUT', /input 0, step 0: expected a row of 2 numbers/],
    [[good], { loss: 'mse' }, 'E_TRAIN_DATA', /data\[0\]: target must hold 3 numbers/],
    [[good], { epochs: 0 }, 'E_OPTIONS', /epochs must be a positive integer/],
    [[good], { lr: -1 }, 'E_OPTIONS', /lr must be a finite number > 0/],
    [[good], { optimizer: 'sgd' }, 'E_OPTIONS', /optimizer must be one of adam, adagrad/],
    [[good], { beta1: 1 }, 'E_KERNEL', /beta1 and beta2 must be in \[0, 1\)/],
    [[good], { batchSze: 3 }, 'E_OPTIONS', /unknown option 'batchSze'/],
    [[good], { validation: [{ input: [[1, 0]], target: 7 }] }, 'E_TRAIN_DATA', /validation\[0\]: target class 7/],
  ]
  for (const [data, options, code, message] of cases) {
    const error = await t.throwsAsync(model.train(data, options))
    t.is((error as { code?: string }).code, code, String(message))
    t.regex(error!.message, message)
  }
  const training = model.train(
    [
      good,
      {
        input: [
          [0, 1],
          [1, 1],
        ],
        target: 0,
      },
    ],
    { epochs: 50 },
  )
  t.is((t.throws(() => model.predict([[1, 0]])) as { code?: string }).code, 'E_BUSY')
  await training
  t.is(model.predict([[1, 0]]).scores.length, 3)
  model.dispose()
})

test('lstm-lrp train writes a model that explains, with progress lines', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-train-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const write = (name: string, items: TrainItem[]) => writeFileSync(path.join(work, name), items.map((item) => JSON.stringify({ x: item.input, y: item.target })).join('\n') + '\n')
  write('train.jsonl', toyArithmetic('addition', 400, 4, 8, 1))
  write('dev.jsonl', toyArithmetic('addition', 100, 4, 8, 2))
  writeFileSync(path.join(work, 'config.json'), JSON.stringify({ inputSize: 2, layers: [{ hiddenSize: 2 }], head: { outputs: 1, bias: false }, task: 'regression' }))
  const out = path.join(work, 'model.safetensors')
  const args = ['--config', path.join(work, 'config.json'), '--data', path.join(work, 'train.jsonl'), '--validation', path.join(work, 'dev.jsonl'), '--out', out, '--epochs', '3', '--seed', '7']
  const result = await runCli(['train', ...args])
  t.is(result.code, 0, result.stderr)
  t.regex(result.stderr, /epoch 3\/3 · batch 13\/13 · loss [\d.e-]+ · validation loss/)
  t.regex(result.stderr, /trained 3 epochs in [\d.]+ s, kept epoch \d; saved/)
  const model = await loadModel(readFileSync(out))
  t.is(
    model.explain([
      [0, 0.5],
      [0.7, 0],
    ]).steps,
    2,
  )
  model.dispose()
  const bad = await runCli(['train', ...args.slice(0, 2), '--data', path.join(work, 'config.json'), '--out', out])
  t.is(bad.code, 1)
  t.regex(bad.stderr, /config\.json line 1: unknown key 'inputSize' \(labelled lines are \{"x"/)
})
