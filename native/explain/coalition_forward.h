// Coalitions of one sequence's steps (occlusion, Shapley values, KernelSHAP, LIME): copies of the
// sequence with some steps removed, replaced as occlusion replaces a step or deleted, whose forward
// passes run together in shares and groups (passes.h), each first-layer direction resuming from
// the original's values where it first reaches a removed step.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "../model/projection_table.h"
#include "backward.h"
#include "passes.h"
#include "target_score.h"

namespace lstm_lrp {

// The first layer's input projections b + W x of the original sequence, per direction by
// processing step ([T, 4H], a GRU's [T, 3H]: the trace's pre-activations also hold U y), and
// b + W r of the replacement r ([4H]), computed as the forward pass computes them (for tokens
// the rows of the model's table, the same bits: model/projection_table.h), into the job's
// workspace.
template <typename Real>
void first_layer_projections(SequenceJob<Real>& job) {
  const Layer<Real>& first = job.model.layers.front();
  const std::size_t G = first.gate_rows();
  const std::size_t I = job.model.input_size;
  const std::size_t steps = job.trace.steps;
  const std::size_t directions = static_cast<std::size_t>(first.directions);
  std::vector<AlignedVector<Real>>& original = job.workspace.original_projections;
  std::vector<AlignedVector<Real>>& replacement = job.workspace.replacement_projections;
  original.resize(directions);
  replacement.resize(directions);
  ProductRows<Real>& rows = job.workspace.product_rows;
  const std::vector<std::int32_t>& tokens = job.trace.tokens;
  for (std::size_t d = 0; d < directions; ++d) {
    const DirectionWeights<Real>& w = first.weights[d];
    original[d].resize(steps * G);
    replacement[d] = w.b;  // b + W 0
    rows.clear();
    const Real* table = tokens.empty() ? nullptr : projection_rows(job.model, static_cast<int>(d));
    for (std::size_t s = 0; s < steps; ++s) {
      const std::size_t t = time_of_step(static_cast<int>(d), s, steps);
      if (table != nullptr) {
        const Real* projection = table + static_cast<std::size_t>(tokens[t]) * G;
        std::copy(projection, projection + G, &original[d][s * G]);
        continue;
      }
      std::copy(w.b.begin(), w.b.end(), &original[d][s * G]);
      rows.add(&job.trace.input[t * I], &original[d][s * G]);
    }
    if (job.settings.occlusion_replacement == LSTM_LRP_REPLACE_VECTOR) rows.add(job.settings.occlusion_vector, replacement[d].data());
    if (!rows.outputs.empty()) rows.multiply(w.Wt.data(), I, G, padded_stride<Real>(G));
  }
}

// Sets copy up as the sequence keeping the steps t with kept[t] != 0 (at least one removed; for
// a deletion at least one kept), its first layer prepared for run_forward_group_prepared: each
// direction resumes at the processing step r at which it reaches the first removed step (the
// same step in the copy: the steps before it are the original's) from the original's state there
// and the original's layer outputs before it, every later step's projection the original's at
// the time it holds (the replacement's where a removed step is replaced; a deletion closes the
// gaps).
template <typename Real>
void prepare_coalition_copy(const SequenceJob<Real>& job, const std::uint8_t* kept, std::vector<std::size_t>& kept_times,
                            SequenceTrace<Real>& copy, ResumeSteps& resume) {
  const Model<Real>& model = job.model;
  const Layer<Real>& first = model.layers.front();
  const std::size_t H = first.hidden_size;
  const std::size_t G = first.gate_rows();
  const bool gru = first.cell.gru;
  const std::size_t D = first.output_size();
  const std::size_t steps = job.trace.steps;
  const bool deleted = job.settings.occlusion_replacement == LSTM_LRP_REPLACE_DELETE;
  kept_times.clear();
  for (std::size_t t = 0; t < steps; ++t)
    if (kept[t] != 0) kept_times.push_back(t);
  const std::size_t first_removed = static_cast<std::size_t>(std::find(kept, kept + steps, 0) - kept);
  const std::size_t last_removed =
      steps - 1 -
      static_cast<std::size_t>(std::find(std::make_reverse_iterator(kept + steps), std::make_reverse_iterator(kept), 0) -
                               std::make_reverse_iterator(kept + steps));
  copy.steps = deleted ? kept_times.size() : steps;
  copy.directions.resize(model.layers.size());
  copy.directions[0].resize(static_cast<std::size_t>(first.directions));
  copy.layer_outputs.resize(model.layers.size());
  copy.layer_outputs[0].resize(copy.steps * D);
  for (int d = 0; d < first.directions; ++d) {
    const DirectionTrace<Real>& original = job.trace.directions[0][static_cast<std::size_t>(d)];
    DirectionTrace<Real>& trace = copy.directions[0][static_cast<std::size_t>(d)];
    const std::size_t r = d == 0 ? first_removed : steps - 1 - last_removed;
    resume[static_cast<std::size_t>(d)] = r;
    trace.pre.resize(copy.steps * G);
    trace.act.resize(copy.steps * G);
    trace.cell.resize(gru ? 0 : (copy.steps + 1) * H);
    trace.cell_output.resize(gru ? 0 : copy.steps * H);
    trace.reset_signal.resize(gru ? copy.steps * H : 0);
    trace.output.resize((copy.steps + 1) * H);
    const AlignedVector<Real>& projections = job.workspace.original_projections[static_cast<std::size_t>(d)];
    const AlignedVector<Real>& replaced = job.workspace.replacement_projections[static_cast<std::size_t>(d)];
    for (std::size_t s = r; s < copy.steps; ++s) {
      const std::size_t in_copy = time_of_step(d, s, copy.steps);
      const std::size_t t = deleted ? kept_times[in_copy] : in_copy;
      const Real* from = kept[t] != 0 ? &projections[time_of_step(d, t, steps) * G] : replaced.data();
      std::copy(from, from + G, trace.pre.begin() + s * G);
    }
    // The pass is forward only and reads nothing of the steps before r but the state they leave.
    const auto state_row = [&](const AlignedVector<Real>& from, AlignedVector<Real>& to) {
      std::copy(from.begin() + r * H, from.begin() + (r + 1) * H, to.begin() + r * H);
    };
    state_row(original.output, trace.output);
    if (!gru) state_row(original.cell, trace.cell);
    for (std::size_t s = 0; s < r; ++s) {
      const Real* y = &job.trace.layer_outputs[0][time_of_step(d, s, steps) * D + d * H];
      std::copy(y, y + H, &copy.layer_outputs[0][time_of_step(d, s, copy.steps) * D + d * H]);
    }
  }
}

// v(S_k) = F of the copy keeping coalition k, for k in [0, count): keep(k, kept) fills kept ([T],
// 1 = kept; see prepare_coalition_copy), value(k, v) receives the value, possibly on several
// threads at once for different k. A pass's value does not depend on its share or its group, so
// the values do not depend on the threads. Needs first_layer_projections.
template <typename Real, typename Keep, typename Value>
void evaluate_coalitions(SequenceJob<Real>& job, std::size_t count, Keep keep, Value value) {
  const Model<Real>& model = job.model;
  const std::size_t steps = job.trace.steps;
  const std::size_t group_size = passes_per_group<Real>(steps, trace_values_per_step(model));
  for_each_share(count, independent_pass_shares(count, job.pass_threads), job.pass_threads, job.workspace.shares,
                 [&](std::size_t, std::size_t share_first, std::size_t share_stop, PassShare<Real>& share) {
    for_each_group(share_first, share_stop, group_size, [&](std::size_t first, std::size_t passes) {
      SequenceTrace<Real>* const* group = share.group(passes);
      share.resume.resize(passes);
      share.kept.resize(steps);
      for (std::size_t k = 0; k < passes; ++k) {
        keep(first + k, share.kept.data());
        prepare_coalition_copy(job, share.kept.data(), share.kept_times, *group[k], share.resume[k]);
      }
      run_forward_group_prepared(model, group, share.resume.data(), passes);
      for (std::size_t k = 0; k < passes; ++k) {
        const SequenceTrace<Real>& copy = *group[k];
        value(first + k,
              target_score(copy.scores, job.target_weights, score_rows(model, copy.steps), model.outputs, job.settings.occlusion_score));
      }
    });
  });
}

// v(all) = F(x), from the job's forward pass.
template <typename Real>
double full_coalition_value(const SequenceJob<Real>& job) {
  return target_score(job.trace.scores, job.target_weights, score_rows(job.model, job.trace.steps), job.model.outputs,
                      job.settings.occlusion_score);
}

// v(∅): every step replaced; deleting every step leaves the initial states y_0 = 0, so the head
// reads zeros (readout last) and the scores are its bias. Needs first_layer_projections.
template <typename Real>
double empty_coalition_value(SequenceJob<Real>& job) {
  if (job.settings.occlusion_replacement != LSTM_LRP_REPLACE_DELETE) {
    double empty = 0;
    evaluate_coalitions(
        job, 1, [&](std::size_t, std::uint8_t* kept) { std::fill(kept, kept + job.trace.steps, std::uint8_t(0)); },
        [&](std::size_t, double v) { empty = v; });
    return empty;
  }
  AlignedVector<Real> zero_state(job.model.head_input_size, Real(0));
  AlignedVector<Real> scores;
  apply_head(job.model, zero_state, true, scores);
  return target_score(scores, job.target_weights, 1, job.model.outputs, job.settings.occlusion_score);
}

// Spreads each step's value φ_t (perStep) equally over its features, as occlusion does.
template <typename Real>
void write_step_values(SequenceJob<Real>& job, const std::vector<double>& phi) {
  const std::size_t I = job.model.input_size;
  for (std::size_t t = 0; t < phi.size(); ++t) {
    job.per_step[t] = static_cast<Real>(phi[t]);
    std::fill(job.relevance + t * I, job.relevance + (t + 1) * I, static_cast<Real>(phi[t] / static_cast<double>(I)));
  }
}

// The completeness report of Shapley values and KernelSHAP: difference = v(all) − v(∅),
// sum = Σ perStep, delta = difference − sum.
template <typename Real>
void write_completeness(SequenceJob<Real>& job, double difference) {
  double sum = 0;
  for (std::size_t t = 0; t < job.trace.steps; ++t) sum += static_cast<double>(job.per_step[t]);
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
  job.conservation[LSTM_LRP_IG_DIFFERENCE] = difference;
  job.conservation[LSTM_LRP_IG_SUM] = sum;
  job.conservation[LSTM_LRP_IG_DELTA] = difference - sum;
}

}  // namespace lstm_lrp
