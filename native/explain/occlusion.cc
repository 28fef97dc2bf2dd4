// Occlusion: the change of the target score when one step is replaced or deleted.
#include <algorithm>

#include "../forward/forward.h"
#include "backward.h"
#include "passes.h"
#include "target_score.h"

namespace lstm_lrp {
namespace {

// Copies the sequence into perturbed with step t replaced or deleted.
template <typename Real>
void perturb(const SequenceJob<Real>& job, std::size_t t, SequenceTrace<Real>& perturbed) {
  const std::size_t I = job.model.input_size;
  const std::vector<Real>& x = job.trace.input;
  if (job.settings.occlusion_replacement == LSTM_LRP_REPLACE_DELETE) {
    perturbed.steps = job.trace.steps - 1;
    perturbed.input.resize(perturbed.steps * I);
    std::copy(x.begin(), x.begin() + t * I, perturbed.input.begin());
    std::copy(x.begin() + (t + 1) * I, x.end(), perturbed.input.begin() + t * I);
    return;
  }
  perturbed.steps = job.trace.steps;
  perturbed.input = x;
  Real* row = &perturbed.input[t * I];
  if (job.settings.occlusion_replacement == LSTM_LRP_REPLACE_VECTOR)
    std::copy(job.settings.occlusion_vector, job.settings.occlusion_vector + I, row);
  else
    std::fill(row, row + I, Real(0));
}

}  // namespace

// The T changed copies run their forward passes together, in groups of as many as fit.
template <typename Real>
void explain_occlusion(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t C = model.outputs;
  const std::size_t rows = score_rows(model, steps);
  const double original = target_score(job.trace.scores, job.target_weights, rows, C, job.settings.occlusion_score);
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t group_size = passes_per_group<Real>(steps, trace_values_per_step(model));
  for (std::size_t first = 0; first < steps; first += group_size) {
    const std::size_t count = std::min(group_size, steps - first);
    SequenceTrace<Real>* const* group = pass_group(ws.passes, ws.pass_pointers, count);
    for (std::size_t k = 0; k < count; ++k) perturb(job, first + k, *group[k]);
    run_forward_group(model, group, count);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t t = first + k;
      const SequenceTrace<Real>& perturbed = *group[k];
      const double occluded =
          target_score(perturbed.scores, job.target_weights, score_rows(model, perturbed.steps), C, job.settings.occlusion_score);
      const double difference = original - occluded;
      job.per_step[t] = static_cast<Real>(difference);
      std::fill(job.relevance + t * I, job.relevance + (t + 1) * I, static_cast<Real>(difference / static_cast<double>(I)));
    }
  }
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

template void explain_occlusion<float>(SequenceJob<float>&);
template void explain_occlusion<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
