// The form's method controls as explain() options: only the chosen method's fieldset is shown and read.

const NOTES = {
  lrp: 'Layer-wise relevance propagation hands the score back through the head, the gates and the memory cells to the steps that produced it.',
  gradient: "The score's gradient at each step's input, summed over its features: how sensitive the score is there.",
  'gradient-x-input': 'The gradient times the input itself: a first-order share of the score per step.',
  occlusion: 'How much the score falls when one step is replaced (or deleted), one step at a time.',
  cd: 'Contextual decomposition: the part of the score each step contributes on its own.',
  'integrated-gradients': 'Gradients averaged along a path from a zero input: they add up to the score difference.',
  shapley: "Each step's average effect on the score when it joins the others in random orders (removed steps are zeros): the values add up to the score difference.",
  'kernel-shap': 'Shapley values estimated by a weighted regression over random sets of kept steps.',
  lime: 'A local linear model of the score over which steps are kept, fitted to random removals near the input.',
  smoothgrad: 'A gradient method averaged over noisy copies of the input, which smooths away its noise.',
}

const $ = (id) => document.getElementById(id)

function numberField(id) {
  const field = $(id)
  // An empty or half-typed number falls back to the library's default rather than to NaN.
  return field.value === '' || !Number.isFinite(field.valueAsNumber) ? undefined : field.valueAsNumber
}

/** Shows the chosen method's options and its one-line description. */
export function showMethodOptions() {
  const method = $('method').value
  for (const fieldset of document.querySelectorAll('fieldset[data-method]')) fieldset.hidden = fieldset.dataset.method !== method
  $('method-note').textContent = NOTES[method]
}

/** explain() options for the chosen method and target ('' is the predicted class: the library's default). */
export function explainOptions() {
  const method = $('method').value
  const options = { method }
  const target = $('target').value
  if (target !== '') options.target = Number(target)
  if (method === 'lrp') Object.assign(options, { rule: $('lrp-rule').value, eps: numberField('lrp-eps'), biasFactor: numberField('lrp-bias') })
  if (method === 'occlusion') options.occlusion = { score: $('occlusion-score').value, replacement: $('occlusion-replacement').value }
  if (method === 'cd') options.cd = { convention: $('cd-convention').value }
  if (method === 'integrated-gradients') options.integratedGradients = { steps: numberField('ig-steps'), rule: $('ig-rule').value }
  if (method === 'shapley') options.shapley = { samples: numberField('shapley-samples') }
  if (method === 'kernel-shap') options.kernelShap = { samples: numberField('kernel-shap-samples') }
  if (method === 'lime') options.lime = { samples: numberField('lime-samples'), kernelWidth: numberField('lime-width') }
  if (method === 'smoothgrad') options.smoothgrad = { over: $('smoothgrad-over').value, noise: numberField('smoothgrad-noise'), samples: numberField('smoothgrad-samples') }
  if (['shapley', 'kernel-shap', 'lime', 'smoothgrad'].includes(method)) options.seed = numberField(`${method}-seed`)
  return options
}

/** What the chosen method is called in the results' summary. */
export function methodName() {
  return $('method').selectedOptions[0].textContent
}
