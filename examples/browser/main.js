// The demo page: load a model, explain an input, draw one coloured cell per step.
import { loadModel, backendInfo } from 'lstm-lrp'

const DEFAULT_MODEL = new URL('../toy-addition.safetensors', import.meta.url)
const DEFAULT_INPUT = '[[-0.757, 0], [0, -0.578], [0.642, 0], [0.504, 0], [0, -0.569], [0.64, 0]]'

const $ = (id) => document.getElementById(id)
let model

/** Token ids for a model with a tokenizer (whitespace split, unknown words rejected), else T rows of numbers. */
function parseInput(text) {
  const tokenizer = model.config.tokenizer
  if (!tokenizer) return { input: JSON.parse(text), labels: null }
  const words = text.trim().split(/\s+/)
  const ids = words.map((word) => {
    const id = tokenizer.vocab.indexOf(tokenizer.lowercase ? word.toLowerCase() : word)
    if (id < 0) throw new Error(`unknown word: ${word}`)
    return id
  })
  return { input: { tokens: ids }, labels: words }
}

/** Red for positive, blue for negative relevance, scaled to the largest magnitude. */
function colour(value, largest) {
  const strength = largest > 0 ? Math.abs(value) / largest : 0
  const fade = Math.round(255 * (1 - strength))
  return value >= 0 ? `rgb(255, ${fade}, ${fade})` : `rgb(${fade}, ${fade}, 255)`
}

function draw(explanation, labels) {
  const heatmap = $('heatmap')
  heatmap.replaceChildren()
  const perStep = Array.from(explanation.perStep)
  const largest = Math.max(...perStep.map(Math.abs))
  perStep.forEach((value, step) => {
    const cell = document.createElement('div')
    cell.className = 'cell'
    cell.style.background = colour(value, largest)
    if (largest > 0 && Math.abs(value) / largest > 0.55) cell.classList.add('strong')
    cell.textContent = labels ? labels[step] : `t=${step + 1}`
    const number = document.createElement('small')
    number.textContent = value.toFixed(3)
    cell.append(number)
    cell.title = `relevance ${value}`
    heatmap.append(cell)
  })
}

function explain() {
  const { input, labels } = parseInput($('input').value)
  const explanation = model.explain(input, { method: $('method').value, rule: $('rule').value })
  draw(explanation, labels)
  const scores = Array.from(explanation.scores, (s) => s.toFixed(3)).join(', ')
  $('status').textContent = `${backendInfo().backend} (${backendInfo().simd}) · scores [${scores}] · target ${JSON.stringify(explanation.target)}`
  // Read by the browser test.
  window.lstmLrpDemo = { relevance: Array.from(explanation.relevance), perStep: Array.from(explanation.perStep), scores: Array.from(explanation.scores) }
}

async function useModel(source) {
  model?.dispose()
  model = await loadModel(source)
  $('input-label').textContent = model.config.tokenizer ? 'Input (words)' : `Input (rows of ${model.config.inputSize} numbers, JSON)`
}

function run(action) {
  Promise.resolve()
    .then(action)
    .catch((error) => {
      $('status').textContent = `Error: ${error.message}`
      window.lstmLrpDemo = { error: error.message }
    })
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault()
  run(explain)
})
$('model-file').addEventListener('change', (event) => {
  const file = event.target.files[0]
  if (file) run(async () => useModel(new Uint8Array(await file.arrayBuffer())))
})
$('input').value = DEFAULT_INPUT
run(async () => {
  await useModel(DEFAULT_MODEL)
  explain()
})
