// Integrated Gradients (Sundararajan et al. 2017): R = (x − x') ⊙ ∫₀¹ ∂f/∂x(x' + α(x − x')) dα
// along the straight path from the baseline x' to x, by quadrature; every path point runs the
// forward pass and the one backpropagation pass the gradient methods use.
#include "integrated_gradients.h"

#include <algorithm>
#include <cmath>

#include "../backprop/bptt.h"
#include "../forward/forward.h"
#include "backward.h"
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
    const double next = ((2.0 * n - 1.0) * x * value - (n - 1.0) * previous) / static_cast<double>(n);
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

template <typename Real>
void explain_integrated_gradients(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const ExplainSettings<Real>& settings = job.settings;
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t steps = job.trace.steps;
  const std::size_t I = model.input_size;
  const std::size_t C = model.outputs;
  const std::size_t rows = score_rows(model, steps);
  const std::vector<Real>& x = job.trace.input;
  const auto baseline = [&](std::size_t feature) { return settings.ig_baseline != nullptr ? settings.ig_baseline[feature] : Real(0); };

  // The path point x' + α(x − x') for α = 0 is the baseline itself: its score closes the completeness check.
  SequenceTrace<Real>& point = ws.perturbed;
  point.steps = steps;
  point.input.resize(steps * I);
  const auto move_to = [&](Real alpha) {
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t j = 0; j < I; ++j) point.input[t * I + j] = baseline(j) + alpha * (x[t * I + j] - baseline(j));
    run_forward(model, point);
  };
  move_to(Real(0));
  const double baseline_score = target_score(point.scores, job.target_weights, rows, C, LSTM_LRP_SCORE_LOGIT);

  ws.output_weights.assign(job.target_weights, job.target_weights + rows * C);
  ws.path_gradient.resize(steps * I);
  std::fill(job.relevance, job.relevance + steps * I, Real(0));
  for (std::size_t k = 0; k < settings.ig_alphas.size(); ++k) {
    move_to(static_cast<Real>(settings.ig_alphas[k]));
    backpropagate(model, point, ws.output_weights.data(), ws, ws.path_gradient.data(), static_cast<ParameterGradients<Real>*>(nullptr));
    const Real weight = static_cast<Real>(settings.ig_weights[k]);
    for (std::size_t i = 0; i < steps * I; ++i) job.relevance[i] += weight * ws.path_gradient[i];
  }
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t j = 0; j < I; ++j) job.relevance[t * I + j] *= x[t * I + j] - baseline(j);
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
