// Integrated Gradients (Sundararajan et al. 2017): R = (x − x') ⊙ ∫₀¹ ∂f/∂x(x' + α(x − x')) dα
// along the straight path from the baseline x' to x, by quadrature. The path points run
// together, in groups: their forward passes share each step's products, and since the first
// layer's input projection is linear, b + W(x' + α(x − x')) = (b + W x') + α W(x − x') comes
// from two projections, and Σ_k w_k Wᵀ(signal at point k) is one product Wᵀ(Σ_k w_k signal).
#include "integrated_gradients.h"

#include <algorithm>
#include <cmath>

#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "backward.h"
#include "passes.h"
#include "path_points.h"
#include "target_score.h"

namespace lstm_lrp {
namespace {

constexpr double kPi = 3.14159265358979323846;

// α_k = (k + ½)/m, each with weight 1/m.
void midpoint_rule(std::size_t points, std::vector<double>& alphas, std::vector<double>& weights) {
  const double m = static_cast<double>(points);
  alphas.resize(points);
  weights.assign(points, 1.0 / m);
  for (std::size_t k = 0; k < points; ++k) alphas[k] = (static_cast<double>(k) + 0.5) / m;
}

// P_m(x) and P_m'(x) by the three-term recurrence (|x| < 1).
void legendre(std::size_t m, double x, double& value, double& derivative) {
  double previous = 0;
  value = 1;
  for (std::size_t n = 1; n <= m; ++n) {
    const double degree = static_cast<double>(n);
    const double next = ((2.0 * degree - 1.0) * x * value - (degree - 1.0) * previous) / degree;
    previous = value;
    value = next;
  }
  derivative = static_cast<double>(m) * (x * value - previous) / (x * x - 1.0);
}

// The roots of P_m by Newton's method from Tricomi's estimates, with the weights 2/((1 − x²) P_m'(x)²),
// mapped from [−1, 1] to [0, 1] (which halves the weights).
void gauss_legendre_rule(std::size_t points, std::vector<double>& alphas, std::vector<double>& weights) {
  alphas.resize(points);
  weights.resize(points);
  for (std::size_t k = 0; k < (points + 1) / 2; ++k) {
    double x = std::cos(kPi * (static_cast<double>(k) + 0.75) / (static_cast<double>(points) + 0.5));
    double value = 0;
    double derivative = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      legendre(points, x, value, derivative);
      const double step = value / derivative;
      x -= step;
      if (std::abs(step) <= 1e-16) break;
    }
    legendre(points, x, value, derivative);
    const double weight = 1.0 / ((1.0 - x * x) * derivative * derivative);
    alphas[k] = (1.0 - x) / 2.0;
    alphas[points - 1 - k] = (1.0 + x) / 2.0;
    weights[k] = weight;
    weights[points - 1 - k] = weight;
  }
}

using QuadratureRule = void (*)(std::size_t, std::vector<double>&, std::vector<double>&);

// Indexed by lstm_lrp_ig_rule.
constexpr QuadratureRule kQuadratureRules[] = {midpoint_rule, gauss_legendre_rule};

}  // namespace

void path_quadrature(lstm_lrp_ig_rule rule, std::size_t points, std::vector<double>& alphas, std::vector<double>& weights) {
  kQuadratureRules[rule](points, alphas, weights);
}

namespace {

// The path's ends in the first layer's pre-activations: b + W x' and W (x − x') per direction.
template <typename Real>
void project_path_ends(const SequenceJob<Real>& job, PathSignals<Real>& path) {
  const Model<Real>& model = job.model;
  const Layer<Real>& first = model.layers.front();
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t G = first.gate_rows();
  const Real* baseline = job.settings.ig_baseline;
  path.difference.resize(steps * I);
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t j = 0; j < I; ++j)
      path.difference[t * I + j] = job.trace.input[t * I + j] - (baseline != nullptr ? baseline[j] : Real(0));
  ProductRows<Real>& rows = job.workspace.product_rows;
  project_path_start(first, baseline, path.baseline_projection, rows);
  path.difference_projection.resize(static_cast<std::size_t>(first.directions));
  for (int d = 0; d < first.directions; ++d) {
    AlignedVector<Real>& change = path.difference_projection[static_cast<std::size_t>(d)];
    change.assign(steps * G, Real(0));
    rows.clear();
    for (std::size_t t = 0; t < steps; ++t) rows.add(&path.difference[t * I], &change[t * G]);
    rows.multiply(first.weights[d].Wt.data(), I, G, padded_stride<Real>(G));
  }
}

}  // namespace

template <typename Real>
void explain_integrated_gradients(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const ExplainSettings<Real>& settings = job.settings;
  BackwardWorkspace<Real>& ws = job.workspace;
  PathSignals<Real>& path = ws.path;
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t C = model.outputs;
  const std::size_t rows = score_rows(model, steps);
  const Layer<Real>& first_layer = model.layers.front();
  const std::size_t first_G = first_layer.gate_rows();

  project_path_ends(job, path);
  target_top_signal(job, path.top_signal);

  // Pass 0 is the baseline itself (α = 0), whose score closes the completeness check; pass q > 0 is path point q − 1.
  const std::size_t points = settings.ig_alphas.size();
  const std::size_t group_size = passes_per_group<Real>(steps, point_values_per_step(model));
  const std::size_t directions = static_cast<std::size_t>(first_layer.directions);
  path.weighted_block.resize(pass_shares(points + 1));
  double baseline_score = 0;
  for_each_share(points + 1, pass_shares(points + 1), job.pass_threads, ws.shares,
                 [&](std::size_t share_index, std::size_t share_first, std::size_t share_stop, PassShare<Real>& share) {
    std::vector<AlignedVector<Real>>& weighted = path.weighted_block[share_index];
    weighted.resize(directions);
    for (AlignedVector<Real>& direction : weighted) direction.assign(steps * first_G, Real(0));
    for_each_group(share_first, share_stop, group_size, [&](std::size_t first, std::size_t count) {
      SequenceTrace<Real>* const* group = share.group(count);
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t q = first + k;
        place_on_path(model, path.baseline_projection, path.difference_projection, steps,
                      q == 0 ? Real(0) : static_cast<Real>(settings.ig_alphas[q - 1]), *group[k]);
      }
      run_forward_group_prepared(model, group, nullptr, count);
      const std::size_t skip = first == 0 ? 1 : 0;
      if (first == 0) baseline_score = target_score(group[0]->scores, job.target_weights, rows, C, LSTM_LRP_SCORE_LOGIT);
      if (count > skip)
        backpropagate_points(model, path.top_signal.data(), group + skip, &settings.ig_weights[first + skip - 1], count - skip,
                             share.points, share.rows, [&](std::size_t) -> std::vector<AlignedVector<Real>>& { return weighted; });
    });
  });

  // R = (x − x') ⊙ Σ_d Wᵀ (Σ_k w_k block signals) of the first layer, the shares' sums added in order; one product per direction.
  std::vector<AlignedVector<Real>>& total = path.weighted_block.front();
  for (std::size_t share = 1; share < path.weighted_block.size(); ++share)
    for (std::size_t d = 0; d < directions; ++d)
      for (std::size_t i = 0; i < total[d].size(); ++i) total[d][i] += path.weighted_block[share][d][i];
  first_layer_input_gradient(first_layer, total, steps, job.relevance, ws.product_rows);
  for (std::size_t i = 0; i < steps * I; ++i) job.relevance[i] *= path.difference[i];
  sum_rows(job.relevance, steps, I, job.per_step);

  double relevance_sum = 0;
  for (std::size_t t = 0; t < steps; ++t) relevance_sum += static_cast<double>(job.per_step[t]);
  const double difference = target_score(job.trace.scores, job.target_weights, rows, C, LSTM_LRP_SCORE_LOGIT) - baseline_score;
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
  job.conservation[LSTM_LRP_IG_DIFFERENCE] = difference;
  job.conservation[LSTM_LRP_IG_SUM] = relevance_sum;
  job.conservation[LSTM_LRP_IG_DELTA] = difference - relevance_sum;
}

template void explain_integrated_gradients<float>(SequenceJob<float>&);
template void explain_integrated_gradients<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
