// Shapley values of the steps: sampled over antithetic pairs of permutations, or exact over every coalition.
#include <algorithm>
#include <bitset>
#include <cstdint>
#include <vector>

#include "coalition_forward.h"
#include "sample_generator.h"

namespace lstm_lrp {
namespace {

// Entries of the permutations one round of sampled Shapley values holds (at least one pair's).
constexpr std::size_t kRoundEntries = std::size_t(1) << 18;

// φ_t = Σ_{S ⊆ P∖{t}} |S|!(T−|S|−1)!/T! (v(S ∪ {t}) − v(S)) over the 2^T coalitions, bit t of c keeping step t.
template <typename Real>
std::vector<double> exact_values(SequenceJob<Real>& job, double full, double empty) {
  const std::size_t steps = job.trace.steps;
  const std::size_t coalitions = std::size_t(1) << steps;
  std::vector<double> v(coalitions);
  v.front() = empty;
  v.back() = full;
  if (coalitions > 2)
    evaluate_coalitions(
        job, coalitions - 2,
        [&](std::size_t k, std::uint8_t* kept) {
      for (std::size_t t = 0; t < steps; ++t) kept[t] = static_cast<std::uint8_t>(((k + 1) >> t) & 1);
        },
        [&](std::size_t k, double value) { v[k + 1] = value; });
  std::vector<double> factorial(steps + 1, 1.0);
  for (std::size_t n = 1; n <= steps; ++n) factorial[n] = factorial[n - 1] * static_cast<double>(n);
  std::vector<double> weight(steps);
  for (std::size_t s = 0; s < steps; ++s) weight[s] = factorial[s] * factorial[steps - s - 1] / factorial[steps];
  std::vector<double> phi(steps, 0.0);
  for (std::size_t c = 0; c < coalitions; ++c) {
    const std::size_t size = std::bitset<64>(c).count();
    for (std::size_t t = 0; t < steps; ++t)
      if (((c >> t) & 1) == 0) phi[t] += weight[size] * (v[c | (std::size_t(1) << t)] - v[c]);
  }
  return phi;
}

// φ[π_j] += v({π_0..π_j}) − v({π_0..π_{j−1}}) over N permutations, N/2 drawn and each followed by
// its reverse, then φ /= N. The prefixes of 1..T−1 steps run as coalitions, in rounds of pairs.
template <typename Real>
std::vector<double> sampled_values(SequenceJob<Real>& job, double full, double empty) {
  const std::size_t steps = job.trace.steps;
  const std::size_t permutations = job.settings.samples;
  const std::size_t prefixes = steps - 1;
  const std::size_t pairs_per_round = std::max<std::size_t>(1, kRoundEntries / (2 * steps));
  SampleGenerator generator(job.settings.seed);
  std::vector<double> phi(steps, 0.0);
  std::vector<std::size_t> order;
  std::vector<std::size_t> round;  // the round's permutations, one after another
  std::vector<double> v;           // v of each permutation's prefixes
  for (std::size_t done = 0; done < permutations; done += round.size() / steps) {
    const std::size_t pairs = std::min(pairs_per_round, (permutations - done) / 2);
    round.clear();
    for (std::size_t p = 0; p < pairs; ++p) {
      generator.permutation(steps, order);
      round.insert(round.end(), order.begin(), order.end());
      round.insert(round.end(), order.rbegin(), order.rend());
    }
    const std::size_t count = round.size() / steps;
    v.resize(count * prefixes);
    evaluate_coalitions(
        job, count * prefixes,
        [&](std::size_t k, std::uint8_t* kept) {
      const std::size_t* pi = &round[(k / prefixes) * steps];
      std::fill(kept, kept + steps, std::uint8_t(0));
      for (std::size_t j = 0; j <= k % prefixes; ++j) kept[pi[j]] = 1;
        },
        [&](std::size_t k, double value) { v[k] = value; });
    for (std::size_t p = 0; p < count; ++p) {
      const std::size_t* pi = &round[p * steps];
      double before = empty;
      for (std::size_t j = 0; j < steps; ++j) {
        const double after = j < prefixes ? v[p * prefixes + j] : full;
        phi[pi[j]] += after - before;
        before = after;
      }
    }
  }
  for (double& value : phi) value /= static_cast<double>(permutations);
  return phi;
}

}  // namespace

template <typename Real>
void explain_shapley(SequenceJob<Real>& job) {
  const double full = full_coalition_value(job);
  first_layer_projections(job);
  const double empty = empty_coalition_value(job);
  write_step_values(job, job.settings.shapley_exact ? exact_values(job, full, empty) : sampled_values(job, full, empty));
  write_completeness(job, full - empty);
}

template void explain_shapley<float>(SequenceJob<float>&);
template void explain_shapley<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
