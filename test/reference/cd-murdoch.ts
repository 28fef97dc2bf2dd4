// A float64 transcription of the published Contextual Decomposition algorithm: the function
// CD(batch, model, start, stop) with decomp_three and decomp_tanh_two of Murdoch et al.'s
// reference code (github.com/jamie-murdoch/ContextualDecomposition, train_model/sent_util.py),
// kept literal (its names, its order of terms, its inclusive `stop` for the words and its
// `start <= i < stop` for the bias × bias term) so that it can stand as the oracle for the
// kernel's `reference` convention. It covers what that code covers: one unidirectional
// tanh LSTM layer in PyTorch layout and a linear head read at the last step.

/** A one-layer PyTorch nn.LSTM (gate blocks i, f, g, o; two biases) and its hidden_to_label head. */
export interface PyTorchLstm {
  weightIh: number[][] /* 4H x E */
  weightHh: number[][] /* 4H x H */
  biasIh: number[] /* 4H */
  biasHh: number[] /* 4H */
  hiddenToLabel: { weight: number[][] /* C x H */; bias: number[] /* C */ }
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v))
const add = (a: number[], b: number[]): number[] => a.map((v, k) => v + b[k])
const mul = (a: number[], b: number[]): number[] => a.map((v, k) => v * b[k])
const dot = (matrix: number[][], v: number[]): number[] => matrix.map((row) => row.reduce((acc, w, j) => acc + w * v[j], 0))
const map = (v: number[], f: (x: number) => number): number[] => v.map(f)

/** np.split(·, 4, 0) */
function split4<T>(rows: T[]): [T[], T[], T[], T[]] {
  const H = rows.length / 4
  return [rows.slice(0, H), rows.slice(H, 2 * H), rows.slice(2 * H, 3 * H), rows.slice(3 * H)]
}

function decompThree(a: number[], b: number[], c: number[], activation: (x: number) => number): [number[], number[], number[]] {
  const aContrib = a.map((_, k) => 0.5 * (activation(a[k] + c[k]) - activation(c[k]) + activation(a[k] + b[k] + c[k]) - activation(b[k] + c[k])))
  const bContrib = a.map((_, k) => 0.5 * (activation(b[k] + c[k]) - activation(c[k]) + activation(a[k] + b[k] + c[k]) - activation(a[k] + c[k])))
  return [aContrib, bContrib, map(c, activation)]
}

function decompTanhTwo(a: number[], b: number[]): [number[], number[]] {
  return [a.map((_, k) => 0.5 * (Math.tanh(a[k]) + (Math.tanh(a[k] + b[k]) - Math.tanh(b[k])))), a.map((_, k) => 0.5 * (Math.tanh(b[k]) + (Math.tanh(a[k] + b[k]) - Math.tanh(a[k]))))]
}

/** CD(batch, model, start, stop): [scores, irrel_scores], each over the classes, without the head bias. */
export function murdochCd(model: PyTorchLstm, wordVecs: number[][], start: number, stop: number): { scores: number[]; irrelScores: number[] } {
  const [W_ii, W_if, W_ig, W_io] = split4(model.weightIh)
  const [W_hi, W_hf, W_hg, W_ho] = split4(model.weightHh)
  const [b_i, b_f, b_g, b_o] = split4(add(model.biasIh, model.biasHh))
  const T = wordVecs.length
  const hidden = model.weightHh[0].length
  const zeros = (): number[] => new Array<number>(hidden).fill(0)
  const relevant: number[][] = []
  const irrelevant: number[][] = []
  const relevant_h: number[][] = []
  const irrelevant_h: number[][] = []
  for (let i = 0; i < T; i++) {
    const prev_rel_h = i > 0 ? relevant_h[i - 1] : zeros()
    const prev_irrel_h = i > 0 ? irrelevant_h[i - 1] : zeros()

    let rel_i = dot(W_hi, prev_rel_h)
    let rel_g = dot(W_hg, prev_rel_h)
    let rel_f = dot(W_hf, prev_rel_h)
    let irrel_i = dot(W_hi, prev_irrel_h)
    let irrel_g = dot(W_hg, prev_irrel_h)
    let irrel_f = dot(W_hf, prev_irrel_h)

    if (i >= start && i <= stop) {
      rel_i = add(rel_i, dot(W_ii, wordVecs[i]))
      rel_g = add(rel_g, dot(W_ig, wordVecs[i]))
      rel_f = add(rel_f, dot(W_if, wordVecs[i]))
    } else {
      irrel_i = add(irrel_i, dot(W_ii, wordVecs[i]))
      irrel_g = add(irrel_g, dot(W_ig, wordVecs[i]))
      irrel_f = add(irrel_f, dot(W_if, wordVecs[i]))
    }

    const [rel_contrib_i, irrel_contrib_i, bias_contrib_i] = decompThree(rel_i, irrel_i, b_i, sigmoid)
    const [rel_contrib_g, irrel_contrib_g, bias_contrib_g] = decompThree(rel_g, irrel_g, b_g, Math.tanh)

    relevant[i] = add(mul(rel_contrib_i, add(rel_contrib_g, bias_contrib_g)), mul(bias_contrib_i, rel_contrib_g))
    irrelevant[i] = add(mul(irrel_contrib_i, add(add(rel_contrib_g, irrel_contrib_g), bias_contrib_g)), mul(add(rel_contrib_i, bias_contrib_i), irrel_contrib_g))

    if (i >= start && i < stop) relevant[i] = add(relevant[i], mul(bias_contrib_i, bias_contrib_g))
    else irrelevant[i] = add(irrelevant[i], mul(bias_contrib_i, bias_contrib_g))

    if (i > 0) {
      const [rel_contrib_f, irrel_contrib_f, bias_contrib_f] = decompThree(rel_f, irrel_f, b_f, sigmoid)
      relevant[i] = add(relevant[i], mul(add(rel_contrib_f, bias_contrib_f), relevant[i - 1]))
      irrelevant[i] = add(irrelevant[i], add(mul(add(add(rel_contrib_f, irrel_contrib_f), bias_contrib_f), irrelevant[i - 1]), mul(irrel_contrib_f, relevant[i - 1])))
    }

    // The published code also splits o's pre-activation (rel_o, irrel_o) but then uses the true
    // gate; that unused split is left out here.
    const o = map(add(add(dot(W_io, wordVecs[i]), dot(W_ho, add(prev_rel_h, prev_irrel_h))), b_o), sigmoid)
    const [new_rel_h, new_irrel_h] = decompTanhTwo(relevant[i], irrelevant[i])
    relevant_h[i] = mul(o, new_rel_h)
    irrelevant_h[i] = mul(o, new_irrel_h)
  }

  const W_out = model.hiddenToLabel.weight
  return { scores: dot(W_out, relevant_h[T - 1]), irrelScores: dot(W_out, irrelevant_h[T - 1]) }
}
