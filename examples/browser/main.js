// The demo page: explain the built-in sentiment model's prediction on a sentence (or the toy addition
// model's on numbers, or a model file of your own) with any method, and draw the relevance of each step.
import { loadModel, backendInfo, tokenizeText, tokenizeTreebank } from 'lstm-lrp'
import { defaultModelUrl } from 'lstm-lrp/default-model'
import { explainOptions, methodName, showMethodOptions } from './method-options.js'
import { clearResults, outputNames, showHeatmap, showPrediction, signed } from './results.js'

const EXAMPLES = {
  text: {
    source: () => defaultModelUrl(),
    input: 'A gorgeous, witty and deeply moving film, though not a flawless one.',
    hint: 'The built-in model rates a movie-review sentence on five levels, from very negative to very positive.',
  },
  numbers: {
    source: () => new URL('../toy-addition.safetensors', import.meta.url),
    input: '[[-0.757, 0], [0, -0.578], [0.642, 0], [0.504, 0], [0, -0.569], [0.64, 0]]',
    hint: 'The toy model adds two marked numbers: every step is [n, 0], except the two that count, which are [0, n]. Their steps should get the relevance.',
  },
}
const SERVE_HINT = 'Serve the repository root over HTTP (npx vite examples/browser, or any static server) and open /examples/browser/.'

const $ = (id) => document.getElementById(id)
const loaded = new Map()
let model
let modelKey
let renders = 0

function setStatus(text, isError = false) {
  $('status').textContent = text
  $('status').classList.toggle('error', isError)
}

/** The model's input from the text box: token ids (with display tokens and unknown words) or rows of numbers. */
function readInput() {
  const text = $('input').value
  if (model.config.tokenizer) {
    const encoded = tokenizeText(text, model.config)
    return { input: { tokens: encoded.ids }, tokens: tokenizeTreebank(text), unknown: encoded.unknown }
  }
  let rows
  try {
    rows = JSON.parse(text)
  } catch {
    throw new Error(`the input is not JSON: write ${model.config.inputSize} numbers per step, as [[…], […]]`)
  }
  return { input: rows, tokens: undefined, unknown: [] }
}

/** The target choices: "predicted" and every label for classifiers, every output otherwise. */
function fillTargets() {
  const names = outputNames(model.config)
  const choices = model.config.task === 'classification' ? [['', 'predicted class'], ...names.map((name, k) => [String(k), name])] : names.map((name, k) => [String(k), name])
  $('target').replaceChildren(...choices.map(([value, text]) => new Option(text, value)))
}

function explain() {
  const started = performance.now()
  const { input, tokens, unknown } = readInput()
  const prediction = model.predict(input)
  const explanation = model.explain(input, explainOptions())
  const names = outputNames(model.config)
  const explained = typeof explanation.target === 'number' ? explanation.target : null
  if (prediction.label !== null) $('target').options[0].textContent = `predicted class (${names[prediction.label]})`
  showPrediction(model.config, prediction, explained)
  const about = explained === null ? '' : ` · explaining “${names[explained]}”`
  showHeatmap(tokens, explanation.perStep, unknown, `${methodName()}${about}`)
  const total = Array.from(explanation.perStep).reduce((sum, value) => sum + value, 0)
  const score = explained === null ? null : explanation.scores[explanation.scores.length - names.length + explained]
  $('summary').textContent = `Σ relevance ${signed(total)}${score === null ? '' : ` · score of “${names[explained]}” ${signed(score)}`}`
  setStatus(`${explanation.steps} steps explained in ${Math.max(1, Math.round(performance.now() - started))} ms.`)
  renders++
  // Read by the browser tests.
  window.lstmLrpDemo = {
    renders,
    method: explanation.method,
    target: explanation.target,
    labels: names,
    tokens: tokens ?? null,
    unknown,
    probabilities: prediction.probabilities ? Array.from(prediction.probabilities) : null,
    scores: Array.from(explanation.scores),
    relevance: Array.from(explanation.relevance),
    perStep: Array.from(explanation.perStep),
  }
}

async function useModel(key, source) {
  setStatus('Loading the model…')
  let next = loaded.get(key)
  if (next === undefined) {
    next = await loadModel(source).catch((error) => {
      throw new Error(`${error.message}. ${SERVE_HINT}`)
    })
    if (key !== 'file') loaded.set(key, next)
  }
  // A model file of the user's is not kept once another model replaces it.
  if (modelKey === 'file' && model !== next) model.dispose()
  model = next
  modelKey = key
  const info = backendInfo()
  $('backend').textContent = `WebAssembly${info.simd === 'simd128' ? ' · SIMD' : ''}`
  fillTargets()
}

function run(action) {
  Promise.resolve()
    .then(action)
    .catch((error) => {
      clearResults()
      setStatus(`Error: ${error.message}`, true)
      renders++
      window.lstmLrpDemo = { renders, error: error.message }
    })
}

function selectTab(key) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.id === `tab-${key}`
    tab.setAttribute('aria-selected', String(selected))
    tab.tabIndex = selected ? 0 : -1
  }
  if (key !== 'file') $('controls').setAttribute('aria-labelledby', `tab-${key}`)
}

function inputLabels() {
  const tokenized = Boolean(model.config.tokenizer)
  $('input-label').textContent = tokenized ? 'Sentence' : `Steps (rows of ${model.config.inputSize} numbers, JSON)`
}

function showExample(key) {
  selectTab(key)
  $('input').value = EXAMPLES[key].input
  $('input-hint').textContent = EXAMPLES[key].hint
  run(async () => {
    await useModel(key, EXAMPLES[key].source())
    inputLabels()
    explain()
  })
}

let typing
$('input').addEventListener('input', () => {
  clearTimeout(typing)
  typing = setTimeout(() => model && run(explain), 300)
})
$('controls').addEventListener('submit', (event) => {
  event.preventDefault()
  if (model) run(explain)
})
$('controls').addEventListener('change', (event) => {
  if (event.target.id === 'model-file' || event.target.id === 'input') return
  if (event.target.id === 'method') showMethodOptions()
  if (model) run(explain)
})
$('tab-text').addEventListener('click', () => showExample('text'))
$('tab-numbers').addEventListener('click', () => showExample('numbers'))
document.querySelector('[role="tablist"]').addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
  const next = event.target.id === 'tab-text' ? 'numbers' : 'text'
  $(`tab-${next}`).focus()
  showExample(next)
})
$('model-file').addEventListener('change', (event) => {
  const file = event.target.files[0]
  if (!file) return
  selectTab('file')
  run(async () => {
    await useModel('file', new Uint8Array(await file.arrayBuffer()))
    inputLabels()
    if (!model.config.tokenizer) $('input').value = JSON.stringify(Array.from({ length: 3 }, () => new Array(model.config.inputSize).fill(0)))
    $('input-hint').textContent = `${file.name}: ${model.config.task}, ${model.config.head.outputs} output(s).`
    explain()
  })
})

showMethodOptions()
showExample('text')
