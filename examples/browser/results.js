// The results panel: the prediction (a bar per label), the relevance heatmap drawn by the library's
// renderHtml, and its legend.
import { renderHtml } from 'lstm-lrp'

const $ = (id) => document.getElementById(id)
const percent = (p) => `${(100 * p).toFixed(1)}%`

/** A value for people: signed, with a true minus sign, three significant digits. */
export function signed(value) {
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Number(Math.abs(value).toPrecision(3))}`
}

function element(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** Names of the model's outputs: its labels, else "output 1", "output 2", … */
export function outputNames(config) {
  return config.labels ?? Array.from({ length: config.head.outputs }, (_, k) => (config.head.outputs === 1 ? 'output' : `output ${k + 1}`))
}

/** One bar per label with its probability (classification), or the raw scores (regression). */
export function showPrediction(config, prediction, explainedClass) {
  const names = outputNames(config)
  const list = element('ul', 'bars')
  names.forEach((name, k) => {
    const item = element('li')
    if (k === prediction.label) item.classList.add('predicted')
    if (k === explainedClass) item.classList.add('explained')
    const value = prediction.probabilities ? prediction.probabilities[k] : prediction.scores[prediction.scores.length - names.length + k]
    item.append(element('span', 'bar-label', name))
    if (prediction.probabilities) {
      const track = element('span', 'bar-track')
      const bar = element('span', 'bar')
      bar.style.width = percent(value)
      track.append(bar)
      item.append(track, element('span', 'bar-value', percent(value)))
      item.setAttribute('aria-label', `${name}: ${percent(value)}${k === prediction.label ? ', predicted' : ''}${k === explainedClass ? ', explained' : ''}`)
    } else {
      item.append(element('span', 'bar-value', Number(value.toPrecision(4)).toString()))
    }
    list.append(item)
  })
  const heading = prediction.label === null ? 'Score' : `Predicted: ${names[prediction.label]}`
  $('prediction').replaceChildren(element('p', 'verdict', heading), list)
}

/**
 * The heatmap row renderHtml draws (colours, escaping and bidi isolation are the library's), with the
 * words the vocabulary lacks marked.
 */
export function showHeatmap(tokens, perStep, unknown, caption) {
  const page = new DOMParser().parseFromString(renderHtml([{ tokens, relevance: perStep, title: caption }]), 'text/html')
  const row = page.querySelector('.row')
  const cells = row.querySelectorAll('.t')
  for (const position of unknown) {
    cells[position].classList.add('unknown')
    cells[position].title += ' · not in the vocabulary (read as <unk>)'
  }
  $('heatmap').replaceChildren(document.adoptNode(row))
  showLegend(perStep, unknown.length > 0)
}

function showLegend(perStep, anyUnknown) {
  const largest = Math.max(0, ...Array.from(perStep, Math.abs))
  const scale = element('div', 'scale-row')
  const bar = element('span', 'scale')
  bar.setAttribute('aria-hidden', 'true')
  scale.append(element('span', 'scale-end', signed(-largest)), bar, element('span', 'scale-end', signed(largest)))
  const text = element('p', 'hint', 'Red steps speak for the explained score, blue ones against it; white is neutral. Hover a step for its value.')
  const parts = [scale, text]
  if (anyUnknown) parts.push(element('p', 'hint', 'Dotted underlined words are not in the model’s vocabulary: it reads them as <unk>.'))
  $('legend').replaceChildren(...parts)
}

export function clearResults() {
  $('prediction').replaceChildren()
  $('heatmap').replaceChildren()
  $('legend').replaceChildren()
  $('summary').textContent = ''
}
