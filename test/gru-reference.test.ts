// Makes the float64 reference's GRU trustworthy on its own: hand-computed forward passes and LRP
// splits, gradients against finite differences, LRP conservation, and the GRU that degenerates
// into a plain tanh RNN.
import test from 'ava'
import { refForward } from './reference/forward.js'
import { inputFor, randomTarget, maxAbs, closeMatrices, conservationGap, numericInputGradient } from './helpers/reference-checks.js'
import { refGradient } from './reference/gradient.js'
import { refLrp, type RefLrpOptions, type Rule } from './reference/lrp.js'
import type { RefDirection, RefGruCell, RefModel } from './reference/model.js'
import { randomRefModel, randomSequence } from './reference/random.js'
import { GRU_ARCHITECTURES, GRU_RESET_AFTER, GRU_RESET_BEFORE } from './helpers/gru-architectures.js'

// ---------------------------------------------------------------- helpers

const T = 4
const RULES: Rule[] = ['all', 'prop', 'abs', 'half']

/** LRP options with every product rule set: the LSTM's three and the GRU's two. */
const lrpOptions = (targetWeights: number[][], over: { eps?: number; biasFactor?: number; init?: RefLrpOptions['init']; update?: Rule; reset?: Rule; lstm?: Rule; productEps?: number } = {}): RefLrpOptions => {
  const lstm = over.lstm ?? 'all'
  const productEps = over.productEps ?? 0
  return {
    targetWeights,
    init: over.init ?? 'logit',
    eps: over.eps ?? 0,
    biasFactor: over.biasFactor ?? 0,
    rules: { input: lstm, forget: lstm, output: lstm, update: over.update ?? 'all', reset: over.reset ?? 'all' },
    productEps: { input: productEps, forget: productEps, output: productEps, update: productEps, reset: productEps },
  }
}

/** One GRU layer of H = 1 over I inputs; rows r, u, n of W, U, b. */
function oneUnitGru(cell: RefGruCell, W: [number[], number[], number[]], U: [number, number, number], b: [number, number, number], bHn: number, readout: 'last' | 'each'): RefModel {
  const fwd: RefDirection = { W, U: U.map((v) => [v]), b: [...b], ...(cell.resetAfter ? { bHn: [bHn] } : {}) }
  return { inputSize: W[0].length, layers: [{ hiddenSize: 1, bidirectional: false, cell, fwd }], head: { weight: [[1]], readout } }
}

// ---------------------------------------------------------------- (1) the forward pass by hand

// H = I = 1, W = (0, 0, 1), U = (0, 0, 2), b = (ln 3, −ln 3, 0.2), b_hn = 0.1, head weight 1, x = (1, 0).
// r = σ(ln 3) = 3/4 and u = σ(−ln 3) = 1/4 at every step, since W_r = W_u = U_r = U_u = 0.
// Reset after U_n (b_hn = 0.1):
//   t=1: h' = 0, q = 0.1, a = 1 + 0.2 + 0.75·0.1 = 1.275, h1 = 0.75·tanh(1.275) = 0.6413602719577234
//   t=2: q = 2·h1 + 0.1 = 1.3827205439154469, a = 0.2 + 0.75·q = 1.237040407936585,
//        h2 = 0.75·tanh(a) + 0.25·h1 = 0.7937971111287112
// Reset before U_n (no b_hn):
//   t=1: a = 1 + 2·(0.75·0) + 0.2 = 1.2, h1 = 0.75·tanh(1.2) = 0.6252409552591164
//   t=2: a = 2·(0.75·h1) + 0.2 = 1.1378614328886745, h2 = 0.75·tanh(a) + 0.25·h1 = 0.7665797783913337
const HAND_W: [number[], number[], number[]] = [[0], [0], [1]]
const HAND_B: [number, number, number] = [Math.log(3), -Math.log(3), 0.2]

test('hand: two steps of a one-unit GRU, reset after U_n', (t) => {
  const model = oneUnitGru(GRU_RESET_AFTER, HAND_W, [0, 0, 2], HAND_B, 0.1, 'each')
  const scores = refForward(model, { x: [[1], [0]] }).scores.flat()
  t.true(Math.abs(scores[0] - 0.6413602719577234) <= 1e-15, `h1 ${scores[0]}`)
  t.true(Math.abs(scores[1] - 0.7937971111287112) <= 1e-15, `h2 ${scores[1]}`)
})

test('hand: two steps of a one-unit GRU, reset before U_n', (t) => {
  const model = oneUnitGru(GRU_RESET_BEFORE, HAND_W, [0, 0, 2], HAND_B, 0, 'each')
  const scores = refForward(model, { x: [[1], [0]] }).scores.flat()
  t.true(Math.abs(scores[0] - 0.6252409552591164) <= 1e-15, `h1 ${scores[0]}`)
  t.true(Math.abs(scores[1] - 0.7665797783913337) <= 1e-15, `h2 ${scores[1]}`)
})

test('a bidirectional GRU reads the backward direction in reverse and concatenates [forward, backward]', (t) => {
  const uni = randomRefModel(31, { inputSize: 2, layers: [{ hiddenSize: 3, bidirectional: true, cell: GRU_RESET_AFTER }], outputs: 1, headBias: false, readout: 'last' })
  const bwd = uni.layers[0].bwd as RefDirection
  const alone = (dir: RefDirection): RefModel => ({ inputSize: 2, layers: [{ hiddenSize: 3, bidirectional: false, cell: GRU_RESET_AFTER, fwd: dir }], head: { weight: [[1, 0, 0]], readout: 'each' } })
  const x = randomSequence(32, 5, 2)
  const state = (model: RefModel, sequence: number[][]) => refForward(model, { x: sequence }).layers[0].outputs
  const forward = state(uni, x)
  const reversed = state(alone(bwd), [...x].reverse()).reverse()
  const ahead = state(alone(uni.layers[0].fwd), x)
  forward.forEach((row, s) => {
    t.deepEqual(row.slice(0, 3), ahead[s])
    t.deepEqual(row.slice(3), reversed[s])
  })
})

// ---------------------------------------------------------------- (2) gradient vs finite differences

for (const [index, [name, arch]] of Object.entries(GRU_ARCHITECTURES).entries()) {
  test(`gradient matches central finite differences: ${name}`, (t) => {
    const model = randomRefModel(100 + index, arch)
    const input = inputFor(arch, 200 + index)
    const w = randomTarget(refForward(model, input).scores, 300 + index)
    const numeric = numericInputGradient(model, input, w)
    const analytic = refGradient(model, input, w)
    t.true(maxAbs(analytic) > 1e-4, 'gradient is not trivially zero')
    t.is(closeMatrices(analytic, numeric, 1e-6), undefined)
  })
}

// ---------------------------------------------------------------- (3) LRP conservation

for (const rule of ['all', 'half'] as const) {
  test(`LRP-0 with zero biases conserves relevance, update and reset rule ${rule}`, (t) => {
    for (const [index, [name, arch]] of Object.entries(GRU_ARCHITECTURES).entries()) {
      const model = randomRefModel(600 + index, { ...arch, zeroBiases: true })
      const input = inputFor(arch, 700 + index)
      const scores = refForward(model, input).scores
      const result = refLrp(model, input, lrpOptions(randomTarget(scores, 800 + index), { update: rule, reset: rule, lstm: rule }))
      const c = result.conservation
      const scale = Math.abs(c.input)
      t.true(scale > 1e-6, `${name}: some relevance to conserve`)
      t.true(Math.abs(c.input - c.inputs) <= 1e-9 * scale, `${name}: ${JSON.stringify(c)}`)
      t.true(Math.abs(c.absorbed) <= 1e-12 * scale && Math.abs(c.initialState) <= 1e-12 * scale, `${name}: ${JSON.stringify(c)}`)
    }
  })
}

for (const rule of ['all', 'half'] as const) {
  test(`biasFactor 1 with eps > 0 and biases absorbs nothing, rule ${rule}`, (t) => {
    for (const [index, [name, arch]] of Object.entries(GRU_ARCHITECTURES).entries()) {
      const model = randomRefModel(900 + index, arch)
      const input = inputFor(arch, 1000 + index)
      const scores = refForward(model, input).scores
      const result = refLrp(model, input, lrpOptions(randomTarget(scores, 1050 + index), { eps: 0.05, biasFactor: 1, update: rule, reset: rule, lstm: rule }))
      const c = result.conservation
      t.true(Math.abs(c.absorbed) <= 1e-12 * Math.abs(c.input), `${name}: ${JSON.stringify(c)}`)
      t.true(Math.abs(c.input - (c.inputs + c.initialState)) <= 1e-9 * Math.abs(c.input), name)
      t.true(Math.abs(c.initialState) > 0, `${name}: bias shares reach h_0`)
    }
  })
}

test('input == inputs + absorbed + initialState for every update and reset rule, eps, biasFactor and init', (t) => {
  let checked = 0
  for (const [index, [name, arch]] of Object.entries(GRU_ARCHITECTURES).entries()) {
    const model = randomRefModel(1100 + index, arch)
    const input = inputFor(arch, 1200 + index)
    const scores = refForward(model, input).scores
    for (const update of RULES)
      for (const reset of RULES)
        for (const [eps, biasFactor, init] of [
          [0, 0, 'logit'],
          [0.01, 0.5, 'one'],
          [0.3, 1, 'vector'],
        ] as const) {
          const result = refLrp(
            model,
            input,
            lrpOptions(randomTarget(scores, 1300 + checked), { eps, biasFactor, update, reset, lstm: update, productEps: 0.02, init: init === 'vector' ? randomTarget(scores, 1400 + checked) : init }),
          )
          const { gap, scale } = conservationGap(result)
          const c = result.conservation
          t.true(gap <= 1e-9 * scale, `${name} update ${update} reset ${reset} eps=${eps} bf=${biasFactor} ${init}: ${JSON.stringify(c)}`)
          if (eps > 0 && biasFactor < 1) t.true(Math.abs(c.absorbed) > 0, `${name}: the stabiliser absorbs`)
          t.true(result.relevance.flat().every(Number.isFinite))
          checked++
        }
  }
  t.is(checked, Object.keys(GRU_ARCHITECTURES).length * RULES.length * RULES.length * 3)
})

test('a model with a GRU layer needs the update and reset rules', (t) => {
  const arch = GRU_ARCHITECTURES['GRU, head bias']
  const model = randomRefModel(5, arch)
  const input = inputFor(arch, 6)
  const options = lrpOptions(randomTarget(refForward(model, input).scores, 7))
  t.throws(() => refLrp(model, input, { ...options, rules: { input: 'all', forget: 'all', output: 'all' } }), { message: /rules\.update and rules\.reset/ })
})

// ---------------------------------------------------------------- (4) where the gates' relevance goes

/**
 * Input feature 0 feeds only the candidate (W_n), feature 1 only the gates (W_r, W_u), so
 * relevance on feature 1 is exactly what the product rules gave the gates (biasFactor 0: no
 * bias share spreads over feature 1).
 */
function splitFeatureModel(cell: RefGruCell, seed: number): RefModel {
  const H = 3
  const model = randomRefModel(seed, { inputSize: 2, layers: [{ hiddenSize: H, bidirectional: false, cell }], outputs: 2, headBias: true, readout: 'last' })
  // rows r, u (the first 2H) read feature 1 only, rows n feature 0 only
  model.layers[0].fwd.W.forEach((row, k) => (row[k < 2 * H ? 0 : 1] = 0))
  return model
}

for (const cell of [GRU_RESET_AFTER, GRU_RESET_BEFORE]) {
  const mode = cell.resetAfter ? 'reset after' : 'reset before'
  test(`${mode}: rule 'all' gives the gates nothing, any other rule gives them a share`, (t) => {
    const model = splitFeatureModel(cell, 77)
    const input = { x: randomSequence(78, T, 2) }
    const w = randomTarget(refForward(model, input).scores, 79)
    const gateFeature = (update: Rule, reset: Rule) => refLrp(model, input, lrpOptions(w, { eps: 0.01, update, reset, productEps: 0.01 })).relevance.map((row) => row[1])
    const candidateFeature = refLrp(model, input, lrpOptions(w, { eps: 0.01 })).relevance.map((row) => row[0])
    t.is(maxAbs([gateFeature('all', 'all')]), 0)
    t.true(maxAbs([candidateFeature]) > 1e-3, 'the candidate path carries relevance')
    for (const rule of ['prop', 'abs', 'half'] as const) {
      t.true(maxAbs([gateFeature(rule, 'all')]) > 1e-6, `update ${rule} reaches u`)
      t.true(maxAbs([gateFeature('all', rule)]) > 1e-6, `reset ${rule} reaches r`)
    }
  })
}

test("hand: update product (1 − u) ⊙ n under 'prop' splits by −a^u and n", (t) => {
  // One step, h' = 0, so h = (1 − u) n and u ⊙ h' = 0 takes nothing. W_n reads x_1 only, W_u x_2 only,
  // all biases 0: a = 0.5, n = tanh(0.5); a^u = 0.8·(−1) = −0.8. eps = 0: R_h = h (head weight 1),
  // R_(1−u)n = h, gate share 0.8/(n + 0.8)·h to a^u (all of it to x_2), signal share n/(n + 0.8)·h to a (all to x_1).
  const model = oneUnitGru(
    GRU_RESET_AFTER,
    [
      [0, 0.3],
      [0, 0.8],
      [1, 0],
    ],
    [0.4, -0.6, 0.9],
    [0, 0, 0],
    0,
    'last',
  )
  const result = refLrp(model, { x: [[0.5, -1]] }, lrpOptions([[1]], { update: 'prop', reset: 'half' }))
  const n = Math.tanh(0.5)
  const u = 1 / (1 + Math.exp(0.8))
  const h = (1 - u) * n
  const [x1, x2] = result.relevance[0]
  t.true(Math.abs(x1 - (n / (n + 0.8)) * h) <= 1e-15, `x_1 ${x1}`)
  t.true(Math.abs(x2 - (0.8 / (n + 0.8)) * h) <= 1e-15, `x_2 ${x2}`)
})

test("hand: reset product r ⊙ q under 'prop' splits by a^r and q, q's bias absorbs its share", (t) => {
  // One step, h' = 0, u ≡ 0 (b_u = −1000), b_n = 0, b_hn = 0.6: q = 0.6, a^r = 0.8·(−1) = −0.8,
  // s = 0.6·σ(−0.8), a = 0.5 + s, h = n = tanh(a). eps = 0, biasFactor 0: R_a = R_h = h; the
  // candidate map gives x_1 0.5/a·h and s s/a·h; the reset rule gives a^r −0.8/(−0.8 + 0.6) = 4 times
  // R_s (all of it to x_2) and q 0.6/(−0.2) = −3 times R_s, which q's map (h' = 0) leaves to b_hn.
  const model = oneUnitGru(
    GRU_RESET_AFTER,
    [
      [0, 0.8],
      [0, 0],
      [1, 0],
    ],
    [0.4, 0, 0.9],
    [0, -1000, 0],
    0.6,
    'last',
  )
  const result = refLrp(model, { x: [[0.5, -1]] }, lrpOptions([[1]], { reset: 'prop' }))
  const s = 0.6 / (1 + Math.exp(0.8))
  const a = 0.5 + s
  const h = Math.tanh(a)
  const Rs = (s / a) * h
  const [x1, x2] = result.relevance[0]
  t.true(Math.abs(x1 - (0.5 / a) * h) <= 1e-15, `x_1 ${x1}`)
  t.true(Math.abs(x2 - 4 * Rs) <= 1e-14, `x_2 ${x2}`)
  t.true(Math.abs(result.conservation.absorbed - -3 * Rs) <= 1e-14, `absorbed ${result.conservation.absorbed}`)
  t.true(Math.abs(result.absorbedBy.gateMaps - -3 * Rs) <= 1e-14)
})

// ---------------------------------------------------------------- (5) u ≡ 0, r ≡ 1: a tanh RNN

/**
 * LRP-0 of h_t = tanh(W x_t + U h_{t−1} + c), readout last, head weight v, by its own equations:
 * R_h(T) = v ⊙ h_T, and each step's relevance splits over W x_t and U h_{t−1} by the epsilon rule.
 */
function tanhRnnLrp(W: number[][], U: number[][], c: number[], v: number[], xs: number[][]): number[][] {
  const H = c.length
  const states: number[][] = [new Array<number>(H).fill(0)]
  const pre: number[][] = []
  for (const x of xs) {
    const h = states[states.length - 1]
    const a = c.map((ck, k) => ck + W[k].reduce((acc, w, j) => acc + w * x[j], 0) + U[k].reduce((acc, w, j) => acc + w * h[j], 0))
    pre.push(a)
    states.push(a.map(Math.tanh))
  }
  let Rh = states[xs.length].map((h, k) => v[k] * h)
  const Rx = xs.map((x) => x.map(() => 0))
  for (let t = xs.length - 1; t >= 0; t--) {
    const hPrev = states[t]
    const RhPrev = new Array<number>(H).fill(0)
    for (let k = 0; k < H; k++) {
      xs[t].forEach((xj, j) => (Rx[t][j] += ((W[k][j] * xj) / pre[t][k]) * Rh[k]))
      hPrev.forEach((hj, j) => (RhPrev[j] += ((U[k][j] * hj) / pre[t][k]) * Rh[k]))
    }
    Rh = RhPrev
  }
  return Rx
}

for (const cell of [GRU_RESET_AFTER, GRU_RESET_BEFORE]) {
  const mode = cell.resetAfter ? 'reset after' : 'reset before'
  test(`${mode}: with u ≡ 0 and r ≡ 1 the GRU is a tanh RNN, in its forward pass and its LRP (rule all, eps 0)`, (t) => {
    const H = 3
    const model = randomRefModel(55, { inputSize: 2, layers: [{ hiddenSize: H, bidirectional: false, cell }], outputs: 1, headBias: false, readout: 'last' })
    const dir = model.layers[0].fwd
    // saturate the gates exactly: σ(1000) = 1 and σ(−1000) = 0 in float64
    for (let k = 0; k < H; k++) {
      dir.W[k].fill(0)
      dir.U[k].fill(0)
      dir.b[k] = 1000
      dir.W[H + k].fill(0)
      dir.U[H + k].fill(0)
      dir.b[H + k] = -1000
    }
    if (dir.bHn) dir.bHn.fill(0)
    const W = dir.W.slice(2 * H)
    const U = dir.U.slice(2 * H)
    const c = dir.b.slice(2 * H)
    const xs = randomSequence(56, 5, 2)
    let h = new Array<number>(H).fill(0)
    for (const x of xs) h = c.map((ck, k) => Math.tanh(ck + W[k].reduce((acc, w, j) => acc + w * x[j], 0) + U[k].reduce((acc, w, j) => acc + w * h[j], 0)))
    const v = model.head.weight[0]
    const score = v.reduce((acc, vk, k) => acc + vk * h[k], 0)
    t.true(Math.abs(refForward(model, { x: xs }).scores[0][0] - score) <= 1e-14, 'forward')
    const relevance = refLrp(model, { x: xs }, lrpOptions([[1]])).relevance
    t.is(closeMatrices(relevance, tanhRnnLrp(W, U, c, v, xs), 1e-12), undefined)
  })
}
