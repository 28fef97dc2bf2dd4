// SmoothGrad (Smilkov et al. 2017): the mean of a base method's relevance over N noisy copies
// x̃_k = x + σ ε_k of the input (docs/METHODS.md § SmoothGrad). Every base is a path into
// the copy: integrated gradients' from its baseline x' with its quadrature points, the
// gradient's and gradient × input's a single point, x̃_k itself, from x' = 0 with weight 1.
// So each copy's passes are path points, which run together in groups as integrated
// gradients' do, the copies' first-layer projections W (x̃_k − x') one product per group.
#include <algorithm>
#include <cstddef>

#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "backward.h"
#include "passes.h"
#include "path_points.h"
#include "sample_generator.h"
#include "target_score.h"

namespace lstm_lrp {
namespace {

constexpr double kSinglePoint[] = {1.0};

// Draws copy k's noise (T × I standard normal values, step after step) and sets up its path's
// difference x̃ − x' with x̃ = x + σ ε; clears its weighted block signals.
template <typename Real>
void draw_copy(const SequenceJob<Real>& job, const Real* baseline, SampleGenerator& generator, NoisyCopy<Real>& copy) {
  const std::size_t steps = job.trace.steps;
  const std::size_t I = job.model.input_size;
  const Layer<Real>& first = job.model.layers.front();
  const Real noise = static_cast<Real>(job.settings.smoothgrad_noise);
  copy.difference.resize(steps * I);
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t i = 0; i < I; ++i) {
      const Real noisy = job.trace.input[t * I + i] + noise * static_cast<Real>(generator.gaussian());
      copy.difference[t * I + i] = noisy - (baseline != nullptr ? baseline[i] : Real(0));
    }
  const std::size_t directions = static_cast<std::size_t>(first.directions);
  copy.difference_projection.resize(directions);
  copy.weighted_block.resize(directions);
  for (std::size_t d = 0; d < directions; ++d) {
    copy.difference_projection[d].assign(steps * first.gate_rows(), Real(0));
    copy.weighted_block[d].assign(steps * first.gate_rows(), Real(0));
  }
}

// Adds a finished copy's relevance R_k to its share's sums: g² for the gradient, (x̃ − x') ⊙ g
// for gradient × input (x' = 0) and integrated gradients (g the path-averaged gradient).
template <typename Real>
void add_copy_relevance(const SequenceJob<Real>& job, const NoisyCopy<Real>& copy, const Real* gradient, double baseline_score,
                        NoisySums& sums) {
  const std::size_t count = job.trace.steps * job.model.input_size;
  const bool squared = job.settings.smoothgrad_base == LSTM_LRP_METHOD_GRADIENT;
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Real g = gradient[i];
    const Real relevance = squared ? g * g : copy.difference[i] * g;
    sums.relevance[i] += static_cast<double>(relevance);
    sum += static_cast<double>(relevance);
  }
  const double difference = copy.score - baseline_score;
  sums.difference += difference;
  sums.sum += sum;
  sums.delta += difference - sum;
}

}  // namespace

template <typename Real>
void explain_smoothgrad(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const ExplainSettings<Real>& settings = job.settings;
  BackwardWorkspace<Real>& ws = job.workspace;
  PathSignals<Real>& path = ws.path;
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t C = model.outputs;
  const std::size_t rows = score_rows(model, steps);
  const Layer<Real>& first_layer = model.layers.front();
  const std::size_t G = first_layer.gate_rows();
  const std::size_t directions = static_cast<std::size_t>(first_layer.directions);
  const bool integrated = settings.smoothgrad_base == LSTM_LRP_METHOD_INTEGRATED_GRADIENTS;
  const Real* baseline = integrated ? settings.ig_baseline : nullptr;
  const std::size_t points = integrated ? settings.ig_alphas.size() : 1;
  const double* alphas = integrated ? settings.ig_alphas.data() : kSinglePoint;
  const double* weights = integrated ? settings.ig_weights.data() : kSinglePoint;
  // Integrated gradients also runs each copy x̃ itself, forward only, for f(x̃) in its report.
  const std::size_t passes_per_copy = points + (integrated ? 1 : 0);
  const std::size_t copies = settings.samples;
  const std::size_t draws_per_copy = 2 * steps * I;  // a normal value takes two uniform draws

  project_path_start(first_layer, baseline, path.baseline_projection, ws.product_rows);
  target_top_signal(job, path.top_signal);
  double baseline_score = 0;
  if (integrated) {
    // f(x'): the start of every copy's path.
    path.difference_projection.resize(directions);
    for (AlignedVector<Real>& change : path.difference_projection) change.assign(steps * G, Real(0));
    if (ws.shares.empty()) ws.shares.resize(1);
    SequenceTrace<Real>* const* pass = ws.shares.front().group(1);
    place_on_path(model, path.baseline_projection, path.difference_projection, steps, Real(0), *pass[0]);
    run_forward_group_prepared(model, pass, nullptr, 1);
    baseline_score = target_score(pass[0]->scores, job.target_weights, rows, C, LSTM_LRP_SCORE_LOGIT);
  }

  const std::size_t copy_values_per_step = I + 2 * directions * G;
  const std::size_t group_size = passes_per_group<Real>(steps, point_values_per_step(model) + copy_values_per_step);
  // A group's passes belong to at most group_size + 1 consecutive copies.
  const std::size_t ring = std::min(copies, group_size + 1);
  path.noisy_sums.resize(pass_shares(copies));
  for_each_share(copies, pass_shares(copies), job.pass_threads, ws.shares,
                 [&](std::size_t share_index, std::size_t first_copy, std::size_t stop_copy, PassShare<Real>& share) {
    NoisyCopies<Real>& noisy = share.noisy;
    NoisySums& sums = path.noisy_sums[share_index];
    if (noisy.copies.size() < ring) noisy.copies.resize(ring);
    noisy.gradient.resize(steps * I);
    sums.relevance.assign(steps * I, 0.0);
    sums.difference = sums.sum = sums.delta = 0;
    SampleGenerator generator(settings.seed);
    generator.skip(first_copy * draws_per_copy);
    const auto copy_of = [&](std::size_t k) -> NoisyCopy<Real>& { return noisy.copies[k % ring]; };
    for_each_group(first_copy * passes_per_copy, stop_copy * passes_per_copy, group_size, [&](std::size_t first, std::size_t count) {
      SequenceTrace<Real>* const* group = share.group(count);
      // The copies that start here, drawn in order, projected together.
      for (std::size_t q = first; q < first + count; ++q)
        if (q % passes_per_copy == 0) draw_copy(job, baseline, generator, copy_of(q / passes_per_copy));
      for (std::size_t d = 0; d < directions; ++d) {
        share.rows.clear();
        for (std::size_t q = first; q < first + count; ++q) {
          if (q % passes_per_copy != 0) continue;
          NoisyCopy<Real>& copy = copy_of(q / passes_per_copy);
          for (std::size_t t = 0; t < steps; ++t) share.rows.add(&copy.difference[t * I], &copy.difference_projection[d][t * G]);
        }
        share.rows.multiply(first_layer.weights[d].Wt.data(), I, G, padded_stride<Real>(G));
      }

      noisy.points.clear();
      noisy.weights.clear();
      noisy.owners.clear();
      for (std::size_t q = first; q < first + count; ++q) {
        const std::size_t k = q / passes_per_copy;
        const std::size_t j = q % passes_per_copy;
        SequenceTrace<Real>& pass = *group[q - first];
        place_on_path(model, path.baseline_projection, copy_of(k).difference_projection, steps,
                      j < points ? static_cast<Real>(alphas[j]) : Real(1), pass);
        if (j == points) continue;
        noisy.points.push_back(&pass);
        noisy.weights.push_back(weights[j]);
        noisy.owners.push_back(k);
      }
      run_forward_group_prepared(model, group, nullptr, count);
      for (std::size_t q = first; q < first + count; ++q)
        if (integrated && q % passes_per_copy == points)
          copy_of(q / passes_per_copy).score = target_score(group[q - first]->scores, job.target_weights, rows, C, LSTM_LRP_SCORE_LOGIT);
      // A group can hold nothing but a copy's forward-only pass.
      if (!noisy.points.empty())
        backpropagate_points(model, path.top_signal.data(), noisy.points.data(), noisy.weights.data(), noisy.points.size(), share.points,
                             share.rows,
                             [&](std::size_t p) -> std::vector<AlignedVector<Real>>& { return copy_of(noisy.owners[p]).weighted_block; });

      // The copies that end here, in order.
      for (std::size_t q = first; q < first + count; ++q) {
        if (q % passes_per_copy != passes_per_copy - 1) continue;
        NoisyCopy<Real>& copy = copy_of(q / passes_per_copy);
        first_layer_input_gradient(first_layer, copy.weighted_block, steps, noisy.gradient.data(), share.rows);
        add_copy_relevance(job, copy, noisy.gradient.data(), baseline_score, sums);
      }
    });
  });

  // The mean over the copies, the shares' sums added in order.
  NoisySums& total = path.noisy_sums.front();
  for (std::size_t share = 1; share < path.noisy_sums.size(); ++share) {
    const NoisySums& part = path.noisy_sums[share];
    for (std::size_t i = 0; i < steps * I; ++i) total.relevance[i] += part.relevance[i];
    total.difference += part.difference;
    total.sum += part.sum;
    total.delta += part.delta;
  }
  const double n = static_cast<double>(copies);
  for (std::size_t i = 0; i < steps * I; ++i) job.relevance[i] = static_cast<Real>(total.relevance[i] / n);
  sum_rows(job.relevance, steps, I, job.per_step);
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
  if (!integrated) return;
  job.conservation[LSTM_LRP_IG_DIFFERENCE] = total.difference / n;
  job.conservation[LSTM_LRP_IG_SUM] = total.sum / n;
  job.conservation[LSTM_LRP_IG_DELTA] = total.delta / n;
}

template void explain_smoothgrad<float>(SequenceJob<float>&);
template void explain_smoothgrad<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
