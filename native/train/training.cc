#include "training.h"

#include <cmath>
#include <new>
#include <string>

#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "../forward/group_forward.h"
#include "../model/batch.h"
#include "../model/call_memory.h"
#include "../model/projection_table.h"
#include "loss.h"

namespace lstm_lrp {
namespace {

// One optimiser's update of a weight w from its gradient g and state m, v (step t >= 1):
// updates m and v and returns the new weight.
template <typename Real>
struct AdamRule {
  Real beta1, beta2, step, root_correction, epsilon;

  AdamRule(const TrainSettings& s, std::int64_t t)
      : beta1(static_cast<Real>(s.beta1)),
        beta2(static_cast<Real>(s.beta2)),
        step(static_cast<Real>(s.learning_rate / (1 - std::pow(s.beta1, static_cast<double>(t))))),
        root_correction(static_cast<Real>(std::sqrt(1 - std::pow(s.beta2, static_cast<double>(t))))),
        epsilon(static_cast<Real>(s.epsilon)) {}

  Real operator()(Real w, Real g, Real& m, Real& v) const {
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    return w - step * m / (std::sqrt(v) / root_correction + epsilon);
  }
};

template <typename Real>
struct AdagradRule {
  Real rate, epsilon;

  AdagradRule(const TrainSettings& s, std::int64_t) : rate(static_cast<Real>(s.learning_rate)), epsilon(static_cast<Real>(s.epsilon)) {}

  Real operator()(Real w, Real g, Real&, Real& v) const {
    v += g * g;
    return w - rate * g / (std::sqrt(v) + epsilon);
  }
};

// The index of the first weight whose update would not be finite, or w.size(); changes nothing.
template <typename Real, typename Rule>
std::size_t first_non_finite_update(const Rule& rule, const AlignedVector<Real>& w, const AlignedVector<Real>& g,
                                    const AlignedVector<Real>& m, const AlignedVector<Real>& v) {
  for (std::size_t k = 0; k < w.size(); ++k) {
    Real next_m = m[k];
    Real next_v = v[k];
    const Real next_w = rule(w[k], g[k], next_m, next_v);
    if (!std::isfinite(static_cast<double>(next_w)) || !std::isfinite(static_cast<double>(next_m)) ||
        !std::isfinite(static_cast<double>(next_v)))
      return k;
  }
  return w.size();
}

template <typename Real, typename Rule>
void apply_update(const Rule& rule, AlignedVector<Real>& w, const AlignedVector<Real>& g, AlignedVector<Real>& m, AlignedVector<Real>& v) {
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = rule(w[k], g[k], m[k], v[k]);
}

bool in_unit_interval(double value) { return value >= 0 && value < 1; }

// Names the first tensor of the model's layout whose values are not all finite.
template <typename Real, typename Tensor>
Status check_finite_tensors(const Model<Real>& model, Tensor tensor, const std::string& what) {
  for (const TensorSlot& slot : tensor_slots(model)) {
    const AlignedVector<Real>& values = tensor(slot);
    for (std::size_t k = 0; k < values.size(); ++k)
      if (!std::isfinite(static_cast<double>(values[k])))
        return Status::numeric("the " + what + " of " + slot.name() + " at flat index " + std::to_string(k) + " is " +
                               std::to_string(static_cast<double>(values[k])) +
                               "; the weights, inputs, cell scales or training settings overflow the arithmetic");
  }
  return Status::ok();
}

}  // namespace

template <typename Real>
Status batch_loss(const Model<Real>& model, const lstm_lrp_batch& batch, int32_t loss, const lstm_lrp_input_buffer& targets,
                  double& mean_loss, std::int64_t& correct, Gradients<Real>* gradients) {
  if (loss != LSTM_LRP_LOSS_MSE && loss != LSTM_LRP_LOSS_CROSS_ENTROPY) return Status::invalid("unknown loss " + std::to_string(loss));
  const lstm_lrp_loss kind = static_cast<lstm_lrp_loss>(loss);
  BatchLayout layout;
  const CallBudget budget{gradients == nullptr ? CallWork::kLoss : CallWork::kGradients, 1,
                          batch_bytes<Real>(batch) + buffer_bytes(targets, sizeof(double)),
                          gradients == nullptr ? "the loss of a batch" : "the gradients of a batch", 0};
  LSTM_LRP_RETURN_IF_ERROR(validate_batch(model, batch, budget, layout));
  if (layout.score_rows == 0) return Status::invalid("the batch is empty");
  const std::size_t C = model.outputs;
  const std::size_t per_row = targets_per_row(kind, C);
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(targets, elements(layout.score_rows, per_row), "targets"));
  const double* target = static_cast<const double*>(targets.data);
  LSTM_LRP_RETURN_IF_ERROR(check_targets(kind, target, layout.score_rows, C));

  if (gradients != nullptr) gradients->zero_like(model);
  const double scale = 1.0 / static_cast<double>(layout.score_rows);
  GroupTraces<Real> group;
  BackwardWorkspace<Real> workspace;
  AlignedVector<Real> score_gradient;
  AlignedVector<Real> input_gradient;
  LossTotals totals;
  const int32_t* tokens = static_cast<const int32_t*>(batch.tokens.data);
  // Consecutive sequences run their forward passes together; losses and gradients are
  // then added in sequence order, as one at a time would.
  for (const std::vector<std::size_t>& sequences : group_sequences(layout, GroupOrder::kBatchOrder)) {
    group.run(model, batch, layout, sequences);
    for (std::size_t k = 0; k < sequences.size(); ++k) {
      const std::size_t first = layout.offsets[sequences[k]];
      const SequenceTrace<Real>& trace = group.traces[k];
      const std::size_t rows = score_rows(model, trace.steps);
      score_gradient.resize(rows * C);
      score_row_losses(kind, trace.scores.data(), target, rows, C, scale, gradients ? score_gradient.data() : nullptr, totals);
      target += rows * per_row;
      if (gradients == nullptr) continue;
      input_gradient.resize(trace.steps * model.input_size);
      backpropagate(model, trace, score_gradient.data(), workspace, input_gradient.data(), &gradients->parameters);
      if (tokens == nullptr) continue;
      for (std::size_t t = 0; t < trace.steps; ++t) {
        Real* row = &gradients->embedding[static_cast<std::size_t>(tokens[first + t]) * model.input_size];
        for (std::size_t i = 0; i < model.input_size; ++i) row[i] += input_gradient[t * model.input_size + i];
      }
    }
  }
  if (gradients != nullptr)
    for (std::size_t l = 0; l < model.layers.size(); ++l)
      for (std::size_t d = 0; d < gradients->parameters.layers[l].size(); ++d)
        zero_unused_blocks(model.layers[l].cell, model.layers[l].hidden_size, model.layers[l].input_size,
                           gradients->parameters.layers[l][d]);
  mean_loss = totals.sum * scale;
  correct = totals.correct;
  if (!std::isfinite(mean_loss))
    return Status::numeric("the loss is " + std::to_string(mean_loss) +
                           "; the weights, inputs, cell scales or targets overflow the arithmetic");
  if (gradients == nullptr) return Status::ok();
  return check_finite_tensors(
      model, [&](const TensorSlot& slot) -> const AlignedVector<Real>& { return gradient_at(*gradients, slot); }, "gradient");
}

Status check_train_options(const lstm_lrp_train_options& options, TrainSettings& settings) {
  if (options.loss != LSTM_LRP_LOSS_MSE && options.loss != LSTM_LRP_LOSS_CROSS_ENTROPY)
    return Status::invalid("unknown loss " + std::to_string(options.loss));
  if (options.optimizer != LSTM_LRP_OPTIMIZER_ADAM && options.optimizer != LSTM_LRP_OPTIMIZER_ADAGRAD)
    return Status::invalid("unknown optimizer " + std::to_string(options.optimizer));
  if (!(std::isfinite(options.learning_rate) && options.learning_rate > 0)) return Status::invalid("learning rate must be finite and > 0");
  if (!in_unit_interval(options.beta1) || !in_unit_interval(options.beta2)) return Status::invalid("beta1 and beta2 must be in [0, 1)");
  if (!(std::isfinite(options.epsilon) && options.epsilon > 0)) return Status::invalid("epsilon must be finite and > 0");
  if (!(std::isfinite(options.weight_decay) && options.weight_decay >= 0)) return Status::invalid("weight decay must be finite and >= 0");
  if (!(std::isfinite(options.clip_norm) && options.clip_norm >= 0)) return Status::invalid("clip norm must be finite and >= 0");
  settings = {static_cast<lstm_lrp_loss>(options.loss),
              static_cast<lstm_lrp_optimizer>(options.optimizer),
              options.learning_rate,
              options.beta1,
              options.beta2,
              options.epsilon,
              options.weight_decay,
              options.clip_norm};
  return Status::ok();
}

template <typename Real>
Trainer<Real>::Trainer(Model<Real>& model, const TrainSettings& settings)
    : model_(model), settings_(settings), slots_(tensor_slots(model)) {
  for (const TensorSlot& slot : slots_) {
    const std::size_t size = weights_at(model_, slot).size();
    first_moment_.emplace_back(size, Real(0));
    second_moment_.emplace_back(size, Real(0));
  }
}

template <typename Real>
Trainer<Real>::~Trainer() {
  if (!weights_changed_) return;
#if defined(__cpp_exceptions)
  try {
    build_projection_table(model_);
  } catch (const std::bad_alloc&) {
    drop_projection_table(model_);  // without it the forward pass multiplies: the same results
  }
#else
  build_projection_table(model_);
#endif
}

template <typename Real>
Status Trainer<Real>::step(const lstm_lrp_batch& batch, const lstm_lrp_input_buffer& targets, double& mean_loss) {
  std::int64_t correct = 0;
  LSTM_LRP_RETURN_IF_ERROR(batch_loss(model_, batch, settings_.loss, targets, mean_loss, correct, &gradients_));

  double squared_norm = 0;
  for (const TensorSlot& slot : slots_) {
    AlignedVector<Real>& g = gradient_at(gradients_, slot);
    const AlignedVector<Real>& w = weights_at(model_, slot);
    const Real decay = static_cast<Real>(settings_.weight_decay);
    for (std::size_t k = 0; k < g.size(); ++k) {
      g[k] += decay * w[k];
      squared_norm += static_cast<double>(g[k]) * static_cast<double>(g[k]);
    }
  }
  const double norm = std::sqrt(squared_norm);
  if (settings_.clip_norm > 0 && norm > settings_.clip_norm) {
    const Real shrink = static_cast<Real>(settings_.clip_norm / norm);
    for (const TensorSlot& slot : slots_)
      for (Real& value : gradient_at(gradients_, slot)) value *= shrink;
  }

  // The table would go stale at every step and costs a vocabulary's products to rebuild:
  // steps multiply instead, and the destructor rebuilds it.
  drop_projection_table(model_);
  weights_changed_ = true;
  if (settings_.optimizer == LSTM_LRP_OPTIMIZER_ADAM)
    LSTM_LRP_RETURN_IF_ERROR(update(AdamRule<Real>(settings_, steps_ + 1)));
  else
    LSTM_LRP_RETURN_IF_ERROR(update(AdagradRule<Real>(settings_, steps_ + 1)));
  ++steps_;
  for (Layer<Real>& layer : model_.layers)
    for (int d = 0; d < layer.directions; ++d) derive_weight_layouts(layer.weights[d], layer.hidden_size, layer.input_size, layer.cell.gru);
  return Status::ok();
}

// Checks every tensor's update before changing any, so that an overflow leaves the model and
// the optimiser's state as they were.
template <typename Real>
template <typename Rule>
Status Trainer<Real>::update(const Rule& rule) {
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    const AlignedVector<Real>& w = weights_at(model_, slots_[k]);
    const std::size_t bad = first_non_finite_update(rule, w, gradient_at(gradients_, slots_[k]), first_moment_[k], second_moment_[k]);
    if (bad < w.size())
      return Status::numeric("the update of " + slots_[k].name() + " at flat index " + std::to_string(bad) +
                             " is not finite; the learning rate, weights or gradients overflow the arithmetic");
  }
  for (std::size_t k = 0; k < slots_.size(); ++k)
    apply_update(rule, weights_at(model_, slots_[k]), gradient_at(gradients_, slots_[k]), first_moment_[k], second_moment_[k]);
  return Status::ok();
}

template Status batch_loss<float>(const Model<float>&, const lstm_lrp_batch&, int32_t, const lstm_lrp_input_buffer&, double&, std::int64_t&,
                                  Gradients<float>*);
template Status batch_loss<double>(const Model<double>&, const lstm_lrp_batch&, int32_t, const lstm_lrp_input_buffer&, double&,
                                   std::int64_t&, Gradients<double>*);
template class Trainer<float>;
template class Trainer<double>;

}  // namespace lstm_lrp
