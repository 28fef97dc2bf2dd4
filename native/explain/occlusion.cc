// Occlusion: the change of the target score when one step is replaced or deleted.
#include <algorithm>

#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "backward.h"
#include "passes.h"
#include "target_score.h"

namespace lstm_lrp {
namespace {

// The first layer's input projections b + W x of the original sequence, per direction by
// processing step ([T, 4H], a GRU's [T, 3H]: the trace's pre-activations also hold U y), and b + W r of the
// replacement r ([4H]), computed as the forward pass computes them.
template <typename Real>
void first_layer_projections(const SequenceJob<Real>& job, std::vector<AlignedVector<Real>>& original,
                             std::vector<AlignedVector<Real>>& replacement) {
  const Layer<Real>& first = job.model.layers.front();
  const std::size_t G = first.gate_rows();
  const std::size_t I = job.model.input_size;
  const std::size_t steps = job.trace.steps;
  const std::size_t directions = static_cast<std::size_t>(first.directions);
  original.resize(directions);
  replacement.resize(directions);
  ProductRows<Real>& rows = job.workspace.product_rows;
  for (std::size_t d = 0; d < directions; ++d) {
    const DirectionWeights<Real>& w = first.weights[d];
    original[d].resize(steps * G);
    replacement[d] = w.b;  // b + W 0
    rows.clear();
    for (std::size_t s = 0; s < steps; ++s) {
      std::copy(w.b.begin(), w.b.end(), &original[d][s * G]);
      rows.add(&job.trace.input[time_of_step(static_cast<int>(d), s, steps) * I], &original[d][s * G]);
    }
    if (job.settings.occlusion_replacement == LSTM_LRP_REPLACE_VECTOR) rows.add(job.settings.occlusion_vector, replacement[d].data());
    rows.multiply(w.Wt.data(), I, G);
  }
}

// Sets copy up as the sequence with step t replaced or deleted, its first layer prepared for
// run_forward_group_prepared: each direction keeps the original's values up to the step it
// reaches t at (its inputs before that are the original's) and resumes there, from the
// original's input projections (the replacement's at t; for a deletion, each later step
// takes the one after it).
template <typename Real>
void prepare_copy(const SequenceJob<Real>& job, std::size_t t, const std::vector<AlignedVector<Real>>& original_projections,
                  const std::vector<AlignedVector<Real>>& replacement_projections, SequenceTrace<Real>& copy, ResumeSteps& resume) {
  const Model<Real>& model = job.model;
  const Layer<Real>& first = model.layers.front();
  const std::size_t H = first.hidden_size;
  const std::size_t G = first.gate_rows();
  const bool gru = first.cell.gru;
  const std::size_t D = first.output_size();
  const std::size_t steps = job.trace.steps;
  const bool deleted = job.settings.occlusion_replacement == LSTM_LRP_REPLACE_DELETE;
  copy.steps = deleted ? steps - 1 : steps;
  copy.directions.resize(model.layers.size());
  copy.directions[0].resize(static_cast<std::size_t>(first.directions));
  copy.layer_outputs.resize(model.layers.size());
  copy.layer_outputs[0].resize(copy.steps * D);
  for (int d = 0; d < first.directions; ++d) {
    const DirectionTrace<Real>& original = job.trace.directions[0][static_cast<std::size_t>(d)];
    DirectionTrace<Real>& trace = copy.directions[0][static_cast<std::size_t>(d)];
    const std::size_t r = d == 0 ? t : steps - 1 - t;  // the processing step that reaches t
    resume[static_cast<std::size_t>(d)] = r;
    trace.pre.resize(copy.steps * G);
    trace.act.resize(copy.steps * G);
    trace.cell.resize(gru ? 0 : (copy.steps + 1) * H);
    trace.cell_output.resize(gru ? 0 : copy.steps * H);
    trace.reset_signal.resize(gru ? copy.steps * H : 0);
    trace.output.resize((copy.steps + 1) * H);
    const auto rows = [&](const AlignedVector<Real>& from, AlignedVector<Real>& to, std::size_t first_row, std::size_t count,
                          std::size_t width, std::size_t shift) {
      std::copy(from.begin() + (first_row + shift) * width, from.begin() + (first_row + shift + count) * width,
                to.begin() + first_row * width);
    };
    const AlignedVector<Real>& projections = original_projections[static_cast<std::size_t>(d)];
    rows(original.pre, trace.pre, 0, r, G, 0);
    if (deleted) {
      rows(projections, trace.pre, r, copy.steps - r, G, 1);
    } else {
      const AlignedVector<Real>& replaced = replacement_projections[static_cast<std::size_t>(d)];
      std::copy(replaced.begin(), replaced.end(), trace.pre.begin() + r * G);
      rows(projections, trace.pre, r + 1, copy.steps - r - 1, G, 0);
    }
    rows(original.act, trace.act, 0, r, G, 0);
    if (gru) {
      rows(original.reset_signal, trace.reset_signal, 0, r, H, 0);
    } else {
      rows(original.cell, trace.cell, 0, r + 1, H, 0);
      rows(original.cell_output, trace.cell_output, 0, r, H, 0);
    }
    rows(original.output, trace.output, 0, r + 1, H, 0);
    for (std::size_t s = 0; s < r; ++s) {
      const Real* y = &job.trace.layer_outputs[0][time_of_step(d, s, steps) * D + d * H];
      std::copy(y, y + H, &copy.layer_outputs[0][time_of_step(d, s, copy.steps) * D + d * H]);
    }
  }
}

}  // namespace

// The T changed copies run their forward passes together, in shares and groups (passes.h),
// each from where it parts from the original.
template <typename Real>
void explain_occlusion(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t C = model.outputs;
  const std::size_t rows = score_rows(model, steps);
  const double original = target_score(job.trace.scores, job.target_weights, rows, C, job.settings.occlusion_score);
  BackwardWorkspace<Real>& ws = job.workspace;
  first_layer_projections(job, ws.original_projections, ws.replacement_projections);
  const std::size_t group_size = passes_per_group<Real>(steps, trace_values_per_step(model));
  for_each_share(steps, job.pass_threads, ws.shares,
                 [&](std::size_t, std::size_t share_first, std::size_t share_stop, PassShare<Real>& share) {
    for (std::size_t first = share_first; first < share_stop; first += group_size) {
      const std::size_t count = std::min(group_size, share_stop - first);
      SequenceTrace<Real>* const* group = share.group(count);
      share.resume.resize(count);
      for (std::size_t k = 0; k < count; ++k)
        prepare_copy(job, first + k, ws.original_projections, ws.replacement_projections, *group[k], share.resume[k]);
      run_forward_group_prepared(model, group, share.resume.data(), count);
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t t = first + k;
        const SequenceTrace<Real>& copy = *group[k];
        const double occluded =
            target_score(copy.scores, job.target_weights, score_rows(model, copy.steps), C, job.settings.occlusion_score);
        const double difference = original - occluded;
        job.per_step[t] = static_cast<Real>(difference);
        std::fill(job.relevance + t * I, job.relevance + (t + 1) * I, static_cast<Real>(difference / static_cast<double>(I)));
      }
    }
  });
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

template void explain_occlusion<float>(SequenceJob<float>&);
template void explain_occlusion<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
