// LIME: a weighted ridge regression of sampled masks' values on which steps they keep.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "coalition_forward.h"
#include "dense_solver.h"
#include "sample_generator.h"

namespace lstm_lrp {
namespace {

// Kept-step masks one round holds.
constexpr std::size_t kRoundMaskBytes = std::size_t(1) << 20;

}  // namespace

// The unknowns x = (b, β_0..β_{T−1}) solve (Σ_k π_k x_k x_kᵀ + λ diag(0, 1, .., 1)) x = Σ_k π_k x_k v_k
// with x_k = (1, z_k), accumulated round by round and solved by Cholesky.
template <typename Real>
void explain_lime(SequenceJob<Real>& job) {
  const std::size_t steps = job.trace.steps;
  const std::size_t samples = job.settings.samples;
  const std::size_t unknowns = steps + 1;
  const double width = job.settings.lime_kernel_width;
  const std::size_t per_round = std::max<std::size_t>(1, kRoundMaskBytes / steps);
  first_layer_projections(job);
  SampleGenerator generator(job.settings.seed);
  std::vector<double> gram(unknowns * unknowns, 0.0);
  std::vector<double> rhs(unknowns, 0.0);
  std::vector<std::uint8_t> masks;
  std::vector<double> weights;
  std::vector<double> v;
  std::vector<std::size_t> order;
  std::vector<double> x(unknowns);
  for (std::size_t done = 0; done < samples;) {
    const std::size_t count = std::min(per_round, samples - done);
    masks.assign(count * steps, 1);
    weights.resize(count);
    v.resize(count);
    std::size_t changed = 0;  // the round's masks that remove steps: all but sample 0
    for (std::size_t k = 0; k < count; ++k) {
      if (done + k == 0) {
        weights[k] = 1;
        v[k] = full_coalition_value(job);
        continue;
      }
      const std::size_t removed = 1 + generator.below(std::max<std::size_t>(steps - 1, 1));
      generator.permutation(steps, order);
      for (std::size_t j = 0; j < removed; ++j) masks[k * steps + order[j]] = 0;
      const double distance = static_cast<double>(removed) / static_cast<double>(steps);
      weights[k] = std::exp(-(distance * distance) / (width * width));
      ++changed;
    }
    const std::size_t skip = count - changed;
    evaluate_coalitions(
        job, changed,
        [&](std::size_t k, std::uint8_t* kept) { std::copy(&masks[(skip + k) * steps], &masks[(skip + k + 1) * steps], kept); },
        [&](std::size_t k, double value) { v[skip + k] = value; });
    for (std::size_t k = 0; k < count; ++k) {
      x[0] = 1;
      for (std::size_t t = 0; t < steps; ++t) x[t + 1] = masks[k * steps + t];
      accumulate_normal_equations(x, weights[k], v[k], gram, rhs);
    }
    done += count;
  }
  for (std::size_t t = 1; t < unknowns; ++t) gram[t * unknowns + t] += job.settings.lime_ridge;
  if (!solve_cholesky(gram, rhs, unknowns)) {
    job.failure = "LIME: " + std::to_string(samples) + " sampled masks do not determine the weights of " + std::to_string(steps) +
                  " steps (singular system); give more samples or a ridge > 0";
    return;
  }
  write_step_values(job, std::vector<double>(rhs.begin() + 1, rhs.end()));
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

template void explain_lime<float>(SequenceJob<float>&);
template void explain_lime<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
