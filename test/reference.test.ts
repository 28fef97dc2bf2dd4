// Makes the float64 reference trustworthy on its own: gradients against finite
// differences, LRP conservation, hand-computed cases, occlusion by direct calls.
import test from 'ava'
import { refForward, sigmoid, weightedSum } from './reference/forward.js'
import { inputFor, randomTarget, maxAbs, closeMatrices, conservationGap, numericInputGradient } from './helpers/reference-checks.js'
import { refGradient, refGradientMethods } from './reference/gradient.js'
import { refLrp, type RefLrpOptions, type Rule } from './reference/lrp.js'
import { BLOCKS, REF_PRESETS, blockPresent, isGruCell, type RefCell, type RefModel } from './reference/model.js'
import { refOcclusion } from './reference/occlusion.js'
import { randomRefModel, randomSequence, type RefArchitecture } from './reference/random.js'
import { CUSTOM_CELL } from './helpers/architectures.js'

// ---------------------------------------------------------------- helpers

const linearCell: RefCell = {
  g: 'identity',
  gScale: 1.5,
  h: 'identity',
  hScale: 0.8,
  gates: { i: false, f: false, o: false },
  connections: {
    z: { input: true, recurrent: true },
    i: { input: false, recurrent: false },
    f: { input: false, recurrent: false },
    o: { input: false, recurrent: false },
  },
}

type Case = { name: string; arch: RefArchitecture }

const layer = (cell: RefCell, hiddenSize = 3, bidirectional = false) => ({ hiddenSize, bidirectional, cell })

const CASES: Case[] = [
  { name: 'standard, last', arch: { inputSize: 4, layers: [layer(REF_PRESETS.standard)], outputs: 3, headBias: true, readout: 'last' } },
  { name: 'standard stacked bidirectional, each', arch: { inputSize: 3, layers: [layer(REF_PRESETS.standard, 3, true), layer(REF_PRESETS.standard, 2)], outputs: 2, headBias: true, readout: 'each' } },
  { name: 'lrp-nondecreasing bidirectional, last', arch: { inputSize: 3, layers: [layer(REF_PRESETS['lrp-nondecreasing'], 3, true)], outputs: 2, headBias: false, readout: 'last' } },
  { name: 'markov stacked, each', arch: { inputSize: 3, layers: [layer(REF_PRESETS.markov, 2), layer(REF_PRESETS.markov, 3, true)], outputs: 2, headBias: true, readout: 'each' } },
  { name: 'gateless, last', arch: { inputSize: 2, layers: [layer(REF_PRESETS.gateless, 4)], outputs: 2, headBias: true, readout: 'last' } },
  { name: 'custom relu/identity cell bidirectional, each', arch: { inputSize: 3, layers: [layer(CUSTOM_CELL, 3, true)], outputs: 3, headBias: true, readout: 'each' } },
  { name: 'embedding, standard, last', arch: { inputSize: 3, vocabSize: 7, layers: [layer(REF_PRESETS.standard, 2, true)], outputs: 2, headBias: true, readout: 'last' } },
]

/** e_k on the last score row (the default target's shape). */
function classTarget(scores: number[][], k: number): number[][] {
  return scores.map((row, r) => row.map((_, j) => (r === scores.length - 1 && j === k ? 1 : 0)))
}

const baseLrp = (targetWeights: number[][], over: Partial<RefLrpOptions> = {}): RefLrpOptions => ({
  targetWeights,
  init: 'logit',
  eps: 0,
  biasFactor: 0,
  rules: { input: 'all', forget: 'all', output: 'all' },
  productEps: { input: 0, forget: 0, output: 0 },
  ...over,
})

const uniformRules = (rule: Rule) => ({ input: rule, forget: rule, output: rule })

// ---------------------------------------------------------------- (1) gradient vs finite differences

for (const [index, { name, arch }] of CASES.entries()) {
  test(`gradient matches central finite differences: ${name}`, (t) => {
    const model = randomRefModel(100 + index, arch)
    const input = inputFor(arch, 200 + index)
    const w = randomTarget(refForward(model, input).scores, 300 + index)
    const numeric = numericInputGradient(model, input, w)
    const analytic = refGradient(model, input, w)
    t.true(maxAbs(analytic) > 1e-6, 'gradient is not trivially zero') // gateless saturates tanh(c)
    t.is(closeMatrices(analytic, numeric, 1e-6), undefined)
  })
}

test('gradient methods are g² and x ⊙ g', (t) => {
  const { arch } = CASES[1]
  const model = randomRefModel(7, arch)
  const input = inputFor(arch, 8)
  const w = classTarget(refForward(model, input).scores, 1)
  const g = refGradient(model, input, w)
  const x = refForward(model, input).x
  const { gradient, gradientXInput } = refGradientMethods(model, input, w)
  t.deepEqual(
    gradient,
    g.map((row) => row.map((v) => v * v)),
  )
  t.deepEqual(
    gradientXInput,
    g.map((row, s) => row.map((v, j) => v * x[s][j])),
  )
})

// ---------------------------------------------------------------- ignored weights

test('absent gates and switched-off connections are ignored whatever the weights', (t) => {
  for (const [index, { arch }] of CASES.entries()) {
    const model = randomRefModel(400 + index, arch)
    // the same model with every ignored block zeroed
    const cleaned: RefModel = structuredClone(model)
    for (const l of cleaned.layers) {
      const H = l.hiddenSize
      const { cell } = l
      if (isGruCell(cell)) continue // a GRU layer has no ignored blocks
      for (const dir of [l.fwd, l.bwd]) {
        if (!dir) continue
        for (const k of BLOCKS) {
          const rows = Array.from({ length: H }, (_, u) => BLOCKS.indexOf(k) * H + u)
          const present = blockPresent(cell, k)
          for (const r of rows) {
            if (!present || !cell.connections[k].input) dir.W[r].fill(0)
            if (!present || !cell.connections[k].recurrent) dir.U[r].fill(0)
            if (!present) dir.b[r] = 0
          }
        }
      }
    }
    const input = inputFor(arch, 500 + index)
    const w = classTarget(refForward(model, input).scores, 0)
    t.deepEqual(refForward(cleaned, input).scores, refForward(model, input).scores)
    t.deepEqual(refGradient(cleaned, input, w), refGradient(model, input, w))
    const opts = baseLrp(w, { eps: 0.01, biasFactor: 0.5, rules: uniformRules('prop'), productEps: { input: 0.1, forget: 0.1, output: 0.1 } })
    t.deepEqual(refLrp(cleaned, input, opts).relevance, refLrp(model, input, opts).relevance)
  }
})

// ---------------------------------------------------------------- (2) LRP conservation

/** Presets whose gates are fed by recurrence only see a^gate = 0 at step 1 with zero biases. */
const hasRecurrentOnlyGate = (arch: RefArchitecture) => arch.layers.some(({ cell }) => !isGruCell(cell) && (['i', 'f', 'o'] as const).some((g) => cell.gates[g] && !cell.connections[g].input))

for (const rule of ['all', 'half'] as const) {
  test(`LRP-0 with zero biases conserves relevance, rule ${rule}`, (t) => {
    for (const [index, { name, arch }] of CASES.entries()) {
      const model = randomRefModel(600 + index, { ...arch, zeroBiases: true })
      const input = inputFor(arch, 700 + index)
      const scores = refForward(model, input).scores
      const result = refLrp(model, input, baseLrp(randomTarget(scores, 800 + index), { rules: uniformRules(rule) }))
      const c = result.conservation
      const { absorbedBy } = result
      const scale = Math.abs(c.input)
      // only a gate fed by recurrence alone can see a^gate = 0 (at step 1); 'all' gives gates nothing
      const zeroDenominators = rule === 'all' || !hasRecurrentOnlyGate(arch) ? 0 : absorbedBy.zeroDenominators
      t.true(Math.abs(c.input - (c.inputs + c.initialState + zeroDenominators)) <= 1e-9 * scale, `${name}: ${JSON.stringify(c)}`)
      t.true(Math.abs(c.absorbed - zeroDenominators) <= 1e-12 * scale, name)
    }
  })
}

test('a gate fed only by the zero initial state absorbs its half as a zero denominator', (t) => {
  const arch = CASES[2].arch // lrp-nondecreasing: i and o recurrent only
  const model = randomRefModel(42, { ...arch, zeroBiases: true })
  const input = inputFor(arch, 43)
  const scores = refForward(model, input).scores
  const result = refLrp(model, input, baseLrp(classTarget(scores, 0), { rules: uniformRules('half') }))
  const c = result.conservation
  t.true(result.absorbedBy.zeroDenominators !== 0)
  t.is(c.absorbed, result.absorbedBy.zeroDenominators)
  t.true(Math.abs(c.input - (c.inputs + c.absorbed + c.initialState)) <= 1e-9 * Math.abs(c.input))
  t.true(result.relevance.flat().every(Number.isFinite))
})

for (const rule of ['all', 'half'] as const) {
  test(`biasFactor 1 with eps > 0 and biases absorbs nothing, rule ${rule}`, (t) => {
    for (const [index, { name, arch }] of CASES.entries()) {
      const model = randomRefModel(900 + index, arch)
      const input = inputFor(arch, 1000 + index)
      const scores = refForward(model, input).scores
      const result = refLrp(model, input, baseLrp(classTarget(scores, 1), { eps: 0.05, biasFactor: 1, rules: uniformRules(rule) }))
      const c = result.conservation
      t.true(Math.abs(c.absorbed) <= 1e-12 * Math.abs(c.input), `${name}: ${JSON.stringify(c)}`)
      t.true(Math.abs(c.input - (c.inputs + c.initialState)) <= 1e-9 * Math.abs(c.input), name)
      t.true(Math.abs(c.initialState) > 0, 'bias shares reach y_0 and c_0')
    }
  })
}

test('input == inputs + absorbed + initialState for every rule, eps, biasFactor and init', (t) => {
  const inits: ('logit' | 'one' | 'vector')[] = ['logit', 'one', 'vector']
  let checked = 0
  for (const [index, { name, arch }] of CASES.entries()) {
    const model = randomRefModel(1100 + index, arch)
    const input = inputFor(arch, 1200 + index)
    const scores = refForward(model, input).scores
    for (const rule of ['all', 'prop', 'abs', 'half'] as const)
      for (const eps of [0, 0.01, 0.3])
        for (const biasFactor of [0, 0.5, 1])
          for (const init of inits) {
            const w = randomTarget(scores, 1300 + checked)
            const result = refLrp(
              model,
              input,
              baseLrp(w, {
                init: init === 'vector' ? randomTarget(scores, 1400 + checked) : init,
                eps,
                biasFactor,
                rules: { input: rule, forget: rule === 'all' ? 'prop' : rule, output: rule },
                productEps: { input: eps, forget: 0.02, output: 0 },
              }),
            )
            const { gap, scale } = conservationGap(result)
            t.true(gap <= 1e-9 * scale, `${name} ${rule} eps=${eps} bf=${biasFactor} ${init}: ${JSON.stringify(result.conservation)}`)
            t.true(result.relevance.flat().every(Number.isFinite))
            checked++
          }
  }
  t.is(checked, CASES.length * 4 * 3 * 3 * 3)
})

test('token input explains the embedded vectors', (t) => {
  const { arch } = CASES[6]
  const model = randomRefModel(3, arch)
  const input = inputFor(arch, 4)
  const x = refForward(model, input).x
  const opts = baseLrp(classTarget(refForward(model, input).scores, 0), { eps: 0.01, rules: uniformRules('half') })
  t.deepEqual(refLrp(model, input, opts), refLrp(model, { x }, opts))
  t.is(refLrp(model, input, opts).relevance[0].length, arch.inputSize)
})

// ---------------------------------------------------------------- (3) hand-checkable cases

/** One layer, unidirectional; weights given per block as { W: rows, U: rows, b } for H = 1. */
function tinyModel(
  cell: RefCell,
  blocks: Partial<Record<'z' | 'i' | 'f' | 'o', { W?: number[]; U?: number; b?: number }>>,
  inputSize: number,
  head: { weight: number; bias?: number; readout?: 'last' | 'each' },
): RefModel {
  const row = (k: 'z' | 'i' | 'f' | 'o') => blocks[k] ?? {}
  return {
    inputSize,
    layers: [
      {
        hiddenSize: 1,
        bidirectional: false,
        cell,
        fwd: {
          W: BLOCKS.map((k) => row(k).W ?? new Array<number>(inputSize).fill(0)),
          U: BLOCKS.map((k) => [row(k).U ?? 0]),
          b: BLOCKS.map((k) => row(k).b ?? 0),
        },
      },
    ],
    head: { weight: [[head.weight]], ...(head.bias === undefined ? {} : { bias: [head.bias] }), readout: head.readout ?? 'last' },
  }
}

const on = { input: true, recurrent: false }
const off = { input: false, recurrent: false }
const identityCell = (gates: RefCell['gates'], h: RefCell['h'] = 'identity'): RefCell => ({
  g: 'identity',
  gScale: 1,
  h,
  hScale: 1,
  gates,
  connections: { z: on, i: gates.i ? on : off, f: gates.f ? on : off, o: gates.o ? on : off },
})
const noGates = { i: false, f: false, o: false }

test('hand: one step, one linear cell, LRP-0 gives v·w·x', (t) => {
  const model = tinyModel(identityCell(noGates), { z: { W: [0.5] } }, 1, { weight: 3 })
  const result = refLrp(model, { x: [[2]] }, baseLrp([[1]]))
  t.is(refForward(model, { x: [[2]] }).scores[0][0], 3)
  t.true(Math.abs(result.relevance[0][0] - 3 * 0.5 * 2) < 1e-15)
})

test('hand: epsilon and bias absorb, biasFactor 1 hands the shares down', (t) => {
  // a = 0.5·2 + 1 = 2, c = y = 2, score = 3·2 = 6
  const model = tinyModel(identityCell(noGates), { z: { W: [0.5], b: 1 } }, 1, { weight: 3 })
  const input = { x: [[2]] }
  const eps0 = refLrp(model, input, baseLrp([[1]], { eps: 0.1 }))
  // head: R_y = 6·6/6.1; accumulation: ·2/2.1; gate map: ·(0.5·2)/2.1
  const expected = 6 * (6 / 6.1) * (2 / 2.1) * (1 / 2.1)
  t.true(Math.abs(eps0.relevance[0][0] - expected) < 1e-14)
  t.true(Math.abs(eps0.absorbedBy.head - (6 * 0.1) / 6.1) < 1e-14)
  t.true(Math.abs(eps0.absorbedBy.accumulation - ((6 * 6) / 6.1) * (0.1 / 2.1)) < 1e-14)
  t.true(Math.abs(eps0.absorbedBy.gateMaps - ((6 * 6 * 2) / 6.1 / 2.1) * (1.1 / 2.1)) < 1e-14)
  t.is(eps0.conservation.initialState, 0)

  const bf1 = refLrp(model, input, baseLrp([[1]], { eps: 0.1, biasFactor: 1 }))
  // head and gate map have N = 1; the accumulation splits ε's share over p_in and p_f = f·c_0
  t.true(Math.abs(bf1.relevance[0][0] - (6 * 2.05) / 2.1) < 1e-14)
  t.true(Math.abs(bf1.conservation.initialState - (6 * 0.05) / 2.1) < 1e-14)
  t.true(Math.abs(bf1.conservation.absorbed) < 1e-15)
})

test('hand: two steps of a linear cell, relevance v·w·x_t and equal to gradient × input', (t) => {
  const model = tinyModel(identityCell(noGates), { z: { W: [0.7] } }, 1, { weight: -2 })
  const x = [[1.5], [-0.4]]
  const result = refLrp(model, { x }, baseLrp([[1]]))
  t.true(Math.abs(result.relevance[0][0] - -2 * 0.7 * 1.5) < 1e-14)
  t.true(Math.abs(result.relevance[1][0] - -2 * 0.7 * -0.4) < 1e-14)
  t.deepEqual(
    result.perStep,
    result.relevance.map((r) => r[0]),
  )
})

test('LRP-0 of a bias-free piecewise-linear network equals gradient × input', (t) => {
  const reluCell: RefCell = { ...linearCell, g: 'relu' }
  for (const [seed, cell] of [
    [1, linearCell],
    [2, reluCell],
  ] as const) {
    const arch: RefArchitecture = {
      inputSize: 3,
      layers: [layer(cell, 3, true), layer(cell, 2, true)],
      outputs: 2,
      headBias: false,
      readout: 'each',
      zeroBiases: true,
    }
    const model = randomRefModel(seed, arch)
    const input = { x: randomSequence(seed + 10, 5, 3) }
    const w = randomTarget(refForward(model, input).scores, seed + 20)
    const lrp = refLrp(model, input, baseLrp(w))
    const { gradientXInput } = refGradientMethods(model, input, w)
    t.is(closeMatrices(lrp.relevance, gradientXInput, 1e-10), undefined)
  }
})

test('hand: input product rules split between a^z and a^i', (t) => {
  // x = [1, 1]; a^z = 2 (first feature), a^i = ±1 (second feature); c = σ(a^i)·2; score = c
  const cell = identityCell({ i: true, f: false, o: false })
  for (const wi of [1, -1]) {
    const model = tinyModel(cell, { z: { W: [2, 0] }, i: { W: [0, wi] } }, 2, { weight: 1 })
    const R = 2 * sigmoid(wi)
    const run = (rule: Rule, epsP = 0) => refLrp(model, { x: [[1, 1]] }, baseLrp([[1]], { rules: { input: rule, forget: 'all', output: 'all' }, productEps: { input: epsP, forget: 0, output: 0 } }))
    const expect = (rule: Rule, z: number, i: number, epsP = 0) => {
      const r = run(rule, epsP).relevance[0]
      t.true(Math.abs(r[0] - z) < 1e-14 && Math.abs(r[1] - i) < 1e-14, `${rule} wi=${wi}: ${r} vs ${[z, i]}`)
    }
    expect('all', R, 0)
    expect('half', R / 2, R / 2)
    expect('prop', (2 / (2 + wi)) * R, (wi / (2 + wi)) * R)
    expect('abs', (2 / 3) * R, (1 / 3) * R)
    // ε_p's share is absorbed by the product
    const d = 2 + wi + 0.5
    expect('prop', (2 / d) * R, (wi / d) * R, 0.5)
    t.true(Math.abs(run('prop', 0.5).absorbedBy.products - (0.5 / d) * R) < 1e-14)
  }
})

test('hand: output product with tanh splits between a^o and c', (t) => {
  // a^z = 1.5 → c = 1.5; a^o = 0.5; y = σ(0.5)·tanh(1.5); score = y
  const model = tinyModel(identityCell({ i: false, f: false, o: true }, 'tanh'), { z: { W: [1.5, 0] }, o: { W: [0, 0.5] } }, 2, { weight: 1 })
  const R = sigmoid(0.5) * Math.tanh(1.5)
  const r = refLrp(model, { x: [[1, 1]] }, baseLrp([[1]], { rules: { input: 'all', forget: 'all', output: 'prop' } })).relevance[0]
  t.true(Math.abs(r[0] - 0.75 * R) < 1e-14 && Math.abs(r[1] - 0.25 * R) < 1e-14, `${r}`)
})

test('hand: forget product over two steps, rule half', (t) => {
  // z_t = x_t, f_t = σ(x_t); c_1 = 1, c_2 = 2 + σ(2)·1; score = c_2
  const model = tinyModel(identityCell({ i: false, f: true, o: false }), { z: { W: [1] }, f: { W: [1] } }, 1, { weight: 1 })
  const x = [[1], [2]]
  const result = refLrp(model, { x }, baseLrp([[1]], { rules: { input: 'all', forget: 'half', output: 'all' } }))
  const s2 = sigmoid(2)
  // step 2: p_in gets 2, p_f gets σ(2), half of which goes to a^f (fed by x_2), half to c_1 → x_1
  t.true(Math.abs(result.relevance[0][0] - s2 / 2) < 1e-14)
  t.true(Math.abs(result.relevance[1][0] - (2 + s2 / 2)) < 1e-14)
  t.is(result.conservation.initialState, 0)
  t.true(Math.abs(result.conservation.absorbed) < 1e-15)
})

test('hand: a gate with no connections absorbs its relevance (zero bias: as a zero denominator)', (t) => {
  const cell: RefCell = { ...identityCell({ i: true, f: false, o: false }), connections: { ...identityCell(noGates).connections, i: off } }
  for (const bi of [0.3, 0]) {
    const model = tinyModel(cell, { z: { W: [1] }, i: { W: [5], U: 5, b: bi } }, 1, { weight: 1 })
    const R = sigmoid(bi) // c = σ(b_i)·1
    const result = refLrp(model, { x: [[1]] }, baseLrp([[1]], { rules: uniformRules('half') }))
    t.true(Math.abs(result.relevance[0][0] - R / 2) < 1e-15)
    const bucket = bi === 0 ? result.absorbedBy.zeroDenominators : result.absorbedBy.gateMaps
    t.true(Math.abs(bucket - R / 2) < 1e-15)
    t.true(Math.abs(result.conservation.absorbed - R / 2) < 1e-15)
  }
})

test('hand: readout each, a bidirectional layer explains the step it reads', (t) => {
  // Linear single-unit directions with z input only: y_fwd(t) = Σ_{s≤t} w x_s, y_bwd(t) = Σ_{s≥t} w' x_s
  const model: RefModel = {
    inputSize: 1,
    layers: [
      {
        hiddenSize: 1,
        bidirectional: true,
        cell: identityCell(noGates),
        fwd: { W: [[2], [9], [9], [9]], U: [[9], [9], [9], [9]], b: [0, 9, 9, 9] },
        bwd: { W: [[3], [9], [9], [9]], U: [[9], [9], [9], [9]], b: [0, 9, 9, 9] },
      },
    ],
    head: { weight: [[1, 1]], readout: 'each' },
  }
  const x = [[1], [10], [100]]
  t.deepEqual(refForward(model, { x }).scores, [[2 + 333], [22 + 330], [222 + 300]])
  // target step 1 (0-based): forward part 2·1 + 2·10, backward part 3·10 + 3·100
  const result = refLrp(model, { x }, baseLrp([[0], [1], [0]]))
  t.deepEqual(
    result.relevance.map((r) => Math.round(r[0] * 1e9) / 1e9),
    [2, 50, 300],
  )
})

// ---------------------------------------------------------------- (4) occlusion

test('occlusion with zero, vector and delete replacement matches direct forward calls', (t) => {
  const arch: RefArchitecture = { inputSize: 2, layers: [layer(REF_PRESETS.standard, 2)], outputs: 3, headBias: true, readout: 'last' }
  const model = randomRefModel(77, arch)
  const x = randomSequence(78, 3, 2)
  const w = classTarget(refForward(model, { x }).scores, 2)
  const F = (seq: number[][]) => weightedSum(w, refForward(model, { x: seq }).scores)
  const full = F(x)

  const zero = refOcclusion(model, { x }, w, { score: 'logit', replacement: 'zero' })
  t.deepEqual(zero.perStep, [full - F([[0, 0], x[1], x[2]]), full - F([x[0], [0, 0], x[2]]), full - F([x[0], x[1], [0, 0]])])
  t.deepEqual(
    zero.relevance,
    zero.perStep.map((v) => [v / 2, v / 2]),
  )

  const vector = refOcclusion(model, { x }, w, { score: 'logit', replacement: [0.3, -0.2] })
  t.is(vector.perStep[1], full - F([x[0], [0.3, -0.2], x[2]]))

  const deleted = refOcclusion(model, { x }, w, { score: 'logit', replacement: 'delete' })
  t.deepEqual(deleted.perStep, [full - F([x[1], x[2]]), full - F([x[0], x[2]]), full - F([x[0], x[1]])])

  const prob = refOcclusion(model, { x }, w, { score: 'prob', replacement: 'delete' })
  const p2 = (seq: number[][]) => {
    const s = refForward(model, { x: seq }).scores[0]
    const e = s.map(Math.exp)
    return e[2] / (e[0] + e[1] + e[2])
  }
  t.true(Math.abs(prob.perStep[0] - (p2(x) - p2([x[1], x[2]]))) < 1e-15)
})

test('occlusion of a linear cell with zero replacement is v·w·x_t', (t) => {
  const model = tinyModel(identityCell(noGates), { z: { W: [0.7] } }, 1, { weight: -2 })
  const x = [[1.5], [-0.4], [2]]
  const result = refOcclusion(model, { x }, [[1]], { score: 'logit', replacement: 'zero' })
  x.forEach(([v], s) => t.true(Math.abs(result.perStep[s] - -2 * 0.7 * v) < 1e-14))
})

test('occlusion refuses deletion for readout each and for one-step sequences', (t) => {
  const eachModel = tinyModel(identityCell(noGates), { z: { W: [1] } }, 1, { weight: 1, readout: 'each' })
  t.throws(() => refOcclusion(eachModel, { x: [[1], [2]] }, [[1], [0]], { score: 'logit', replacement: 'delete' }))
  const lastModel = tinyModel(identityCell(noGates), { z: { W: [1] } }, 1, { weight: 1 })
  t.throws(() => refOcclusion(lastModel, { x: [[1]] }, [[1]], { score: 'logit', replacement: 'delete' }))
})
