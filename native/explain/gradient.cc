// Gradient of f = Σ w ⊙ scores with respect to the (embedded) inputs, by
// backpropagation through time; Gradient and Gradient × Input build on it.
#include <algorithm>

#include "../backprop/bptt.h"
#include "backward.h"

namespace lstm_lrp {
namespace {

// Leaves ∂f/∂x in job.relevance.
template <typename Real>
void input_gradient(SequenceJob<Real>& job) {
  BackwardWorkspace<Real>& ws = job.workspace;
  ws.output_weights.assign(job.target_weights, job.target_weights + job.trace.scores.size());
  backpropagate(job.model, job.trace, ws.output_weights.data(), ws, job.relevance, static_cast<ParameterGradients<Real>*>(nullptr));
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

}  // namespace

template <typename Real>
void explain_gradient(SequenceJob<Real>& job) {
  input_gradient(job);
  const std::size_t count = job.trace.steps * job.model.input_size;
  for (std::size_t k = 0; k < count; ++k) job.relevance[k] *= job.relevance[k];
  sum_rows(job.relevance, job.trace.steps, job.model.input_size, job.per_step);
}

template <typename Real>
void explain_gradient_x_input(SequenceJob<Real>& job) {
  input_gradient(job);
  const std::size_t count = job.trace.steps * job.model.input_size;
  for (std::size_t k = 0; k < count; ++k) job.relevance[k] *= job.trace.input[k];
  sum_rows(job.relevance, job.trace.steps, job.model.input_size, job.per_step);
}

template void explain_gradient<float>(SequenceJob<float>&);
template void explain_gradient<double>(SequenceJob<double>&);
template void explain_gradient_x_input<float>(SequenceJob<float>&);
template void explain_gradient_x_input<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
