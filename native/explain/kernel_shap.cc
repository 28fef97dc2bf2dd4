// KernelSHAP: the Shapley values as the least-squares fit of sampled coalitions' values,
// constrained to add up to v(all) − v(∅).
#include <algorithm>
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

// The cumulative distribution of the coalition size s in 1..T−1, p(s) ∝ (T−1)/(s(T−s)).
std::vector<double> size_distribution(std::size_t steps) {
  std::vector<double> cumulative(steps - 1);
  double total = 0;
  for (std::size_t s = 1; s < steps; ++s) {
    total += static_cast<double>(steps - 1) / static_cast<double>(s * (steps - s));
    cumulative[s - 1] = total;
  }
  for (double& value : cumulative) value /= total;
  return cumulative;
}

}  // namespace

// With φ_{T−1} = Δ − Σ_{t<T−1} φ_t (Δ = v(all) − v(∅)), each coalition's row is a_t = z_t − z_{T−1}
// and its target y − z_{T−1} Δ (y = v(S) − v(∅)); the normal equations AᵀA φ = Aᵀy are
// accumulated round by round and solved by Cholesky.
template <typename Real>
void explain_kernel_shap(SequenceJob<Real>& job) {
  const std::size_t steps = job.trace.steps;
  const double full = full_coalition_value(job);
  first_layer_projections(job);
  const double empty = empty_coalition_value(job);
  const double difference = full - empty;
  std::vector<double> phi(steps, difference);
  if (steps > 1) {
    const std::size_t samples = job.settings.samples;
    const std::size_t unknowns = steps - 1;
    const std::size_t per_round = std::max<std::size_t>(1, kRoundMaskBytes / steps);
    const std::vector<double> cumulative = size_distribution(steps);
    SampleGenerator generator(job.settings.seed);
    std::vector<double> gram(unknowns * unknowns, 0.0);
    std::vector<double> rhs(unknowns, 0.0);
    std::vector<std::uint8_t> masks;
    std::vector<double> v;
    std::vector<std::size_t> order;
    std::vector<double> row(unknowns);
    for (std::size_t done = 0; done < samples;) {
      const std::size_t count = std::min(per_round, samples - done);
      masks.assign(count * steps, 0);
      for (std::size_t k = 0; k < count; ++k) {
        const double u = generator.uniform();
        const std::size_t size = std::min<std::size_t>(
            static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin()) + 1, steps - 1);
        generator.permutation(steps, order);
        for (std::size_t j = 0; j < size; ++j) masks[k * steps + order[j]] = 1;
      }
      v.resize(count);
      evaluate_coalitions(
          job, count, [&](std::size_t k, std::uint8_t* kept) { std::copy(&masks[k * steps], &masks[(k + 1) * steps], kept); },
          [&](std::size_t k, double value) { v[k] = value; });
      for (std::size_t k = 0; k < count; ++k) {
        const std::uint8_t* z = &masks[k * steps];
        const double last = z[steps - 1];
        for (std::size_t t = 0; t < unknowns; ++t) row[t] = z[t] - last;
        accumulate_normal_equations(row, 1, v[k] - empty - last * difference, gram, rhs);
      }
      done += count;
    }
    if (!solve_cholesky(gram, rhs, unknowns)) {
      job.failure = "KernelSHAP: " + std::to_string(samples) + " sampled coalitions do not determine the values of " +
                    std::to_string(steps) + " steps (singular system); give more samples";
      return;
    }
    double rest = 0;
    for (std::size_t t = 0; t < unknowns; ++t) {
      phi[t] = rhs[t];
      rest += rhs[t];
    }
    phi[unknowns] = difference - rest;
  }
  write_step_values(job, phi);
  write_completeness(job, difference);
}

template void explain_kernel_shap<float>(SequenceJob<float>&);
template void explain_kernel_shap<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
