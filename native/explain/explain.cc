#include "explain.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string>

#include "../common/aligned_vector.h"
#include "../common/buffers.h"
#include "../common/finite_check.h"
#include "../common/thread_pool.h"
#include "../forward/forward.h"
#include "../forward/group_forward.h"
#include "../forward/softmax.h"
#include "../model/batch.h"
#include "../model/call_memory.h"
#include "backward.h"
#include "integrated_gradients.h"
#include "product_rules.h"

namespace lstm_lrp {
namespace {

const char* const kProductNames[] = {"input", "forget", "output", "update", "reset"};
// Indexed by lstm_lrp_method, for messages.
const char* const kMethodNames[] = {
    "LRP",        "gradient", "gradient x input", "occlusion", "contextual decomposition", "integrated gradients", "Shapley values",
    "KernelSHAP", "LIME",     "SmoothGrad"};

// Phrase steps, at its end, whose bias × bias term CD leaves irrelevant; indexed by lstm_lrp_cd_convention.
constexpr std::size_t kCdBiasStepsLeftOut[] = {1, 0};

bool finite_at_least_zero(double value) { return std::isfinite(value) && value >= 0; }

template <typename Real>
Status check_finite_vector(const lstm_lrp_input_buffer& buffer, std::size_t size, const std::string& name) {
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(buffer, size, name));
  const Real* values = static_cast<const Real*>(buffer.data);
  for (std::size_t i = 0; i < size; ++i)
    if (!std::isfinite(static_cast<double>(values[i]))) return Status::invalid(name + " is not finite at feature " + std::to_string(i));
  return Status::ok();
}

template <typename Real>
Status build_cd_settings(const lstm_lrp_explain_options& options, const BatchLayout& layout, ExplainSettings<Real>& settings) {
  if (options.cd_convention != LSTM_LRP_CD_REFERENCE && options.cd_convention != LSTM_LRP_CD_INCLUSIVE)
    return Status::invalid("unknown CD convention " + std::to_string(options.cd_convention));
  settings.cd_bias_steps_left_out = kCdBiasStepsLeftOut[options.cd_convention];
  const int32_t start = options.cd_phrase_start;
  const int32_t stop = options.cd_phrase_stop;
  settings.cd_phrase_start = 0;
  settings.cd_phrase_stop = 0;
  if (start == 0 && stop == 0) return Status::ok();  // one decomposition per step
  const std::string phrase = "CD phrase [" + std::to_string(start) + ", " + std::to_string(stop) + ")";
  if (start < 0 || stop <= start) return Status::invalid(phrase + " needs 0 <= start < stop");
  for (std::size_t n = 0; n + 1 < layout.offsets.size(); ++n) {
    const std::size_t steps = layout.offsets[n + 1] - layout.offsets[n];
    if (static_cast<std::size_t>(stop) > steps)
      return Status::invalid(phrase + " ends after sequence " + std::to_string(n) + " (" + std::to_string(steps) + " steps)");
  }
  settings.cd_phrase_start = static_cast<std::size_t>(start);
  settings.cd_phrase_stop = static_cast<std::size_t>(stop);
  return Status::ok();
}

template <typename Real>
Status build_ig_settings(const Model<Real>& model, const lstm_lrp_explain_options& options, ExplainSettings<Real>& settings) {
  if (options.ig_rule != LSTM_LRP_IG_MIDPOINT && options.ig_rule != LSTM_LRP_IG_GAUSS_LEGENDRE)
    return Status::invalid("unknown integrated-gradients rule " + std::to_string(options.ig_rule));
  if (options.ig_steps < 1 || options.ig_steps > LSTM_LRP_IG_MAX_STEPS)
    return Status::invalid("integrated-gradients steps must be in [1, " + std::to_string(LSTM_LRP_IG_MAX_STEPS) + "]; got " +
                           std::to_string(options.ig_steps));
  path_quadrature(static_cast<lstm_lrp_ig_rule>(options.ig_rule), static_cast<std::size_t>(options.ig_steps), settings.ig_alphas,
                  settings.ig_weights);
  settings.ig_baseline = static_cast<const Real*>(options.ig_baseline.data);
  if (settings.ig_baseline == nullptr) return Status::ok();  // the zero baseline
  return check_finite_vector<Real>(options.ig_baseline, model.input_size, "integrated-gradients baseline");
}

bool removes_steps(lstm_lrp_method method) {
  return method == LSTM_LRP_METHOD_OCCLUSION || method == LSTM_LRP_METHOD_SHAPLEY || method == LSTM_LRP_METHOD_KERNEL_SHAP ||
         method == LSTM_LRP_METHOD_LIME;
}

bool draws_samples(lstm_lrp_method method) { return method >= LSTM_LRP_METHOD_SHAPLEY && method <= LSTM_LRP_METHOD_SMOOTHGRAD; }

template <typename Real>
Status build_sampling_settings(const Model<Real>& model, const lstm_lrp_explain_options& options, const BatchLayout& layout,
                               ExplainSettings<Real>& settings) {
  if (options.samples < 1 || options.samples > LSTM_LRP_MAX_SAMPLES)
    return Status::invalid("samples must be in [1, " + std::to_string(LSTM_LRP_MAX_SAMPLES) + "]; got " + std::to_string(options.samples));
  settings.samples = static_cast<std::size_t>(options.samples);
  settings.seed = options.seed;
  if (options.shapley_exact != 0 && options.shapley_exact != 1)
    return Status::invalid("exact Shapley values must be 0 or 1; got " + std::to_string(options.shapley_exact));
  settings.shapley_exact = options.shapley_exact == 1;
  settings.lime_kernel_width = options.lime_kernel_width;
  settings.lime_ridge = options.lime_ridge;
  settings.smoothgrad_noise = options.smoothgrad_noise;
  settings.smoothgrad_base = static_cast<lstm_lrp_method>(options.smoothgrad_base);
  switch (settings.method) {
    case LSTM_LRP_METHOD_SHAPLEY:
      if (settings.shapley_exact) {
        for (std::size_t n = 0; n + 1 < layout.offsets.size(); ++n) {
          const std::size_t steps = layout.offsets[n + 1] - layout.offsets[n];
          if (steps > LSTM_LRP_SHAPLEY_EXACT_MAX_STEPS)
            return Status::invalid("exact Shapley values need sequences of at most " + std::to_string(LSTM_LRP_SHAPLEY_EXACT_MAX_STEPS) +
                                   " steps; sequence " + std::to_string(n) + " has " + std::to_string(steps));
        }
      } else if (settings.samples % 2 != 0) {
        return Status::invalid("Shapley value sampling draws permutations in antithetic pairs: samples must be even; got " +
                               std::to_string(settings.samples));
      }
      return Status::ok();
    case LSTM_LRP_METHOD_LIME:
      if (!(std::isfinite(options.lime_kernel_width) && options.lime_kernel_width > 0))
        return Status::invalid("LIME kernel width must be finite and > 0");
      if (!finite_at_least_zero(options.lime_ridge)) return Status::invalid("LIME ridge must be finite and >= 0");
      return Status::ok();
    case LSTM_LRP_METHOD_SMOOTHGRAD:
      if (!finite_at_least_zero(options.smoothgrad_noise)) return Status::invalid("SmoothGrad noise must be finite and >= 0");
      if (options.smoothgrad_base == LSTM_LRP_METHOD_INTEGRATED_GRADIENTS) return build_ig_settings(model, options, settings);
      if (options.smoothgrad_base != LSTM_LRP_METHOD_GRADIENT && options.smoothgrad_base != LSTM_LRP_METHOD_GRADIENT_X_INPUT)
        return Status::invalid("SmoothGrad smooths the gradient, gradient x input or integrated gradients; got method " +
                               std::to_string(options.smoothgrad_base));
      return Status::ok();
    default: return Status::ok();
  }
}

template <typename Real>
Status build_settings(const Model<Real>& model, const lstm_lrp_explain_options& options, const BatchLayout& layout,
                      ExplainSettings<Real>& settings) {
  if (options.method < LSTM_LRP_METHOD_LRP || options.method > LSTM_LRP_METHOD_SMOOTHGRAD)
    return Status::invalid("unknown method " + std::to_string(options.method));
  if (!finite_at_least_zero(options.eps)) return Status::invalid("eps must be finite and >= 0");
  if (!(options.bias_factor >= 0 && options.bias_factor <= 1)) return Status::invalid("bias_factor must be in [0, 1]");
  if (options.init != LSTM_LRP_INIT_LOGIT && options.init != LSTM_LRP_INIT_ONE)
    return Status::invalid("unknown init " + std::to_string(options.init));
  settings.method = static_cast<lstm_lrp_method>(options.method);
  settings.eps = static_cast<Real>(options.eps);
  settings.bias_factor = static_cast<Real>(options.bias_factor);
  settings.init = static_cast<lstm_lrp_init>(options.init);
  for (int p = 0; p < LSTM_LRP_PRODUCTS; ++p) {
    const int32_t rule = options.product_rule[p];
    if (rule < LSTM_LRP_RULE_ALL || rule > LSTM_LRP_RULE_HALF)
      return Status::invalid(std::string("unknown rule ") + std::to_string(rule) + " for the " + kProductNames[p] + " product");
    if (!finite_at_least_zero(options.product_eps[p]))
      return Status::invalid(std::string("product eps of the ") + kProductNames[p] + " product must be finite and >= 0");
    settings.product_rule[p] = kProductRules<Real>[rule];
    settings.gate_receives[p] = rule != LSTM_LRP_RULE_ALL;
    settings.product_eps[p] = static_cast<Real>(options.product_eps[p]);
  }

  if (options.occlusion_score != LSTM_LRP_SCORE_LOGIT && options.occlusion_score != LSTM_LRP_SCORE_PROB)
    return Status::invalid("unknown occlusion score " + std::to_string(options.occlusion_score));
  if (options.occlusion_replacement < LSTM_LRP_REPLACE_ZERO || options.occlusion_replacement > LSTM_LRP_REPLACE_DELETE)
    return Status::invalid("unknown occlusion replacement " + std::to_string(options.occlusion_replacement));
  settings.occlusion_score = static_cast<lstm_lrp_occlusion_score>(options.occlusion_score);
  settings.occlusion_replacement = static_cast<lstm_lrp_occlusion_replacement>(options.occlusion_replacement);
  settings.occlusion_vector = static_cast<const Real*>(options.occlusion_vector.data);
  if (settings.method == LSTM_LRP_METHOD_CD) return build_cd_settings(options, layout, settings);
  if (settings.method == LSTM_LRP_METHOD_INTEGRATED_GRADIENTS) return build_ig_settings(model, options, settings);
  if (draws_samples(settings.method)) LSTM_LRP_RETURN_IF_ERROR(build_sampling_settings(model, options, layout, settings));
  if (!removes_steps(settings.method)) return Status::ok();

  if (settings.occlusion_replacement == LSTM_LRP_REPLACE_VECTOR)
    LSTM_LRP_RETURN_IF_ERROR(check_finite_vector<Real>(options.occlusion_vector, model.input_size, "occlusion replacement vector"));
  if (settings.occlusion_replacement == LSTM_LRP_REPLACE_DELETE) {
    if (model.readout != LSTM_LRP_READOUT_LAST)
      return Status::invalid(std::string(kMethodNames[settings.method]) +
                             " by deletion needs readout 'last': deleting a step would shift the per-step outputs");
    for (std::size_t n = 0; n + 1 < layout.offsets.size(); ++n)
      if (layout.offsets[n + 1] - layout.offsets[n] < 2)
        return Status::invalid("sequence " + std::to_string(n) + " has one step; " + kMethodNames[settings.method] +
                               " by deletion needs at least two");
  }
  return Status::ok();
}

Status check_target_weights(const lstm_lrp_input_buffer& buffer, std::uint64_t count) {
  if (buffer.data == nullptr) return Status::ok();  // argmax targets
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(buffer, count, "target weights"));
  const double* weights = static_cast<const double*>(buffer.data);
  for (std::size_t k = 0; k < count; ++k)
    if (!std::isfinite(weights[k])) return Status::invalid("target weight " + std::to_string(k) + " is not finite");
  return Status::ok();
}

// The predicted class: the argmax of the last score row.
template <typename Real>
std::size_t predicted_class(const AlignedVector<Real>& scores, std::size_t C) {
  const std::size_t last_row = scores.size() - C;
  std::size_t best = 0;
  for (std::size_t k = 1; k < C; ++k)
    if (scores[last_row + k] > scores[last_row + best]) best = k;
  return best;
}

// One-hot weights on class `predicted` of the last score row.
void argmax_weights(std::size_t score_values, std::size_t C, std::size_t predicted, std::vector<double>& weights) {
  weights.assign(score_values, 0.0);
  weights[score_values - C + predicted] = 1.0;
}

// Per-thread state of a batch call: the traces of one group of sequences and the
// buffers of their backward passes, reused from group to group. LRP runs the group's
// backward passes together, each sequence in its own workspace; the other methods run
// one sequence after another in the first.
template <typename Real>
struct GroupScratch {
  GroupTraces<Real> group;
  std::vector<BackwardWorkspace<Real>> workspaces;
  std::vector<std::vector<double>> argmax_targets;
  std::vector<SequenceJob<Real>> jobs;
};

constexpr std::size_t kKeptScratchBytes = std::size_t(8) << 20;

// Roughly what one step of a sequence occupies in a trace and its backward workspace:
// per layer direction 11 H values (pre-activations, activations, cell, cell output,
// output) and the messages, per layer its outputs and their signal, and the input.
template <typename Real>
std::size_t scratch_bytes_per_step(const Model<Real>& model) {
  std::size_t values = 2 * model.input_size;
  for (const Layer<Real>& layer : model.layers)
    values += 2 * layer.output_size() + static_cast<std::size_t>(layer.directions) * 15 * layer.hidden_size;
  return values * sizeof(Real);
}

// Runs the forward passes of the batch's groups on up to `threads` threads, then
// visit(state, group) on the same thread; state.group.traces[k] holds sequence group[k].
template <typename Real, typename Visit>
void forward_in_groups(const Model<Real>& model, const lstm_lrp_batch& batch, const BatchLayout& layout, std::size_t threads, Visit visit) {
  const std::vector<std::vector<std::size_t>> groups = group_sequences(layout, GroupOrder::kLongestFirst);
  parallel_for(groups.size(), threads, [&](std::size_t g) {
    // Each thread keeps its buffers from call to call (allocation is a fair share of a short
    // sequence's time), unless a group needed more than kKeptScratchBytes.
    thread_local GroupScratch<Real> state;
    state.group.run(model, batch, layout, groups[g]);
    visit(state, groups[g]);
    std::size_t steps = 0;
    for (std::size_t n : groups[g]) steps += layout.offsets[n + 1] - layout.offsets[n];
    if (steps * scratch_bytes_per_step(model) > kKeptScratchBytes) state = GroupScratch<Real>();
  });
}

// The first score row of sequence n.
template <typename Real>
std::size_t first_score_row(const Model<Real>& model, const BatchLayout& layout, std::size_t n) {
  return model.readout == LSTM_LRP_READOUT_LAST ? n : layout.offsets[n];
}

CallWork explain_work(int32_t method) {
  switch (method) {
    case LSTM_LRP_METHOD_LRP:
    case LSTM_LRP_METHOD_GRADIENT:
    case LSTM_LRP_METHOD_GRADIENT_X_INPUT: return CallWork::kBackward;
    case LSTM_LRP_METHOD_CD: return CallWork::kDecompose;
    default: return CallWork::kPerturbed;
  }
}

// KernelSHAP's and LIME's normal equations: (T + 1)² float64 values per sequence.
std::uint64_t explain_square_bytes(int32_t method) {
  return method == LSTM_LRP_METHOD_KERNEL_SHAP || method == LSTM_LRP_METHOD_LIME ? sizeof(double) : 0;
}

template <typename Real>
std::uint64_t explain_caller_bytes(const lstm_lrp_batch& batch, const lstm_lrp_input_buffer& target_weights,
                                   const lstm_lrp_explain_outputs& outputs) {
  return batch_bytes<Real>(batch) + buffer_bytes(target_weights, sizeof(double)) + buffer_bytes(outputs.scores, sizeof(Real)) +
         buffer_bytes(outputs.relevance, sizeof(Real)) + buffer_bytes(outputs.per_step, sizeof(Real)) +
         buffer_bytes(outputs.conservation, sizeof(double)) + buffer_bytes(outputs.targets, sizeof(int32_t));
}

// Rows of the scores output: one per sequence (null offsets) or one per step.
template <typename Real>
const std::vector<std::size_t>* score_row_offsets(const Model<Real>& model, const BatchLayout& layout) {
  return model.readout == LSTM_LRP_READOUT_EACH ? &layout.offsets : nullptr;
}

// Whether the outputs of a group's sequences are all finite.
template <typename Real>
bool group_outputs_finite(const Model<Real>& model, const BatchLayout& layout, const lstm_lrp_explain_outputs& outputs,
                          const std::vector<std::size_t>& group) {
  const std::size_t C = model.outputs;
  const std::size_t I = model.input_size;
  bool finite = true;
  for (std::size_t n : group) {
    const std::size_t first = layout.offsets[n];
    const std::size_t steps = layout.offsets[n + 1] - first;
    const std::size_t score_rows = model.readout == LSTM_LRP_READOUT_LAST ? 1 : steps;
    finite &= all_finite(static_cast<const Real*>(outputs.scores.data) + first_score_row(model, layout, n) * C, score_rows * C);
    finite &= all_finite(static_cast<const Real*>(outputs.relevance.data) + first * I, steps * I);
    finite &= all_finite(static_cast<const Real*>(outputs.per_step.data) + first, steps);
    finite &= all_finite(static_cast<const double*>(outputs.conservation.data) + n * LSTM_LRP_CONSERVATION_SIZE,
                         std::size_t(LSTM_LRP_CONSERVATION_SIZE));
  }
  return finite;
}

}  // namespace

template <typename Real>
Status predict_batch(const Model<Real>& model, const lstm_lrp_batch& batch, const lstm_lrp_output_buffer& scores,
                     const lstm_lrp_output_buffer& probabilities, std::size_t threads) {
  BatchLayout layout;
  const CallBudget budget{CallWork::kForward, threads,
                          batch_bytes<Real>(batch) + buffer_bytes(scores, sizeof(Real)) + buffer_bytes(probabilities, sizeof(double)),
                          "predicting a batch", 0};
  LSTM_LRP_RETURN_IF_ERROR(validate_batch(model, batch, budget, layout));
  const std::size_t C = model.outputs;
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(scores, elements(layout.score_rows, C), "scores output"));
  if (probabilities.data != nullptr)
    LSTM_LRP_RETURN_IF_ERROR(check_buffer(probabilities, elements(layout.score_rows, C), "probabilities output"));
  forward_in_groups(model, batch, layout, threads, [&](GroupScratch<Real>& state, const std::vector<std::size_t>& group) {
    for (std::size_t k = 0; k < group.size(); ++k) {
      const SequenceTrace<Real>& trace = state.group.traces[k];
      const std::size_t first = first_score_row(model, layout, group[k]) * C;
      std::copy(trace.scores.begin(), trace.scores.end(), static_cast<Real*>(scores.data) + first);
      if (probabilities.data == nullptr) continue;
      double* probability = static_cast<double*>(probabilities.data) + first;
      for (std::size_t r = 0; r < trace.scores.size(); r += C) softmax_row(&trace.scores[r], C, probability + r);
    }
  });
  const std::vector<std::size_t>* rows = score_row_offsets(model, layout);
  LSTM_LRP_RETURN_IF_ERROR(check_finite_rows(static_cast<const Real*>(scores.data), layout.score_rows, C, rows, "score"));
  if (probabilities.data == nullptr) return Status::ok();
  return check_finite_rows(static_cast<const double*>(probabilities.data), layout.score_rows, C, rows, "probability");
}

template <typename Real>
Status explain_batch(const Model<Real>& model, const lstm_lrp_explain_options& options, const lstm_lrp_batch& batch,
                     const lstm_lrp_input_buffer& target_weights, const lstm_lrp_explain_outputs& outputs, std::size_t threads) {
  BatchLayout layout;
  const CallBudget budget{explain_work(options.method), threads, explain_caller_bytes<Real>(batch, target_weights, outputs),
                          "explaining a batch", explain_square_bytes(options.method)};
  LSTM_LRP_RETURN_IF_ERROR(validate_batch(model, batch, budget, layout));
  ExplainSettings<Real> settings;
  LSTM_LRP_RETURN_IF_ERROR(build_settings(model, options, layout, settings));
  const std::size_t C = model.outputs;
  LSTM_LRP_RETURN_IF_ERROR(check_target_weights(target_weights, elements(layout.score_rows, C)));
  const std::size_t total_steps = layout.offsets.back();
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(outputs.scores, elements(layout.score_rows, C), "scores output"));
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(outputs.relevance, elements(total_steps, model.input_size), "relevance output"));
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(outputs.per_step, total_steps, "per-step output"));
  LSTM_LRP_RETURN_IF_ERROR(
      check_buffer(outputs.conservation, elements(layout.offsets.size() - 1, LSTM_LRP_CONSERVATION_SIZE), "conservation output"));
  if (outputs.targets.data != nullptr) LSTM_LRP_RETURN_IF_ERROR(check_buffer(outputs.targets, layout.offsets.size() - 1, "targets output"));

  const double* given_weights = static_cast<const double*>(target_weights.data);
  // A lone sequence leaves the call's other threads free for its passes.
  const bool lone_sequence = layout.offsets.size() == 2;
  int32_t* targets = static_cast<int32_t*>(outputs.targets.data);
  const bool lrp = settings.method == LSTM_LRP_METHOD_LRP;
  std::atomic<bool> outputs_finite{true};
  // A method's failure on a sequence; the first sequence's is reported, whatever the threads.
  std::mutex failure_mutex;
  std::size_t failed_sequence = layout.offsets.size();
  std::string failure;
  forward_in_groups(model, batch, layout, threads, [&](GroupScratch<Real>& state, const std::vector<std::size_t>& group) {
    if (state.workspaces.size() < (lrp ? group.size() : 1)) state.workspaces.resize(lrp ? group.size() : 1);
    if (state.argmax_targets.size() < group.size()) state.argmax_targets.resize(group.size());
    state.jobs.clear();
    for (std::size_t k = 0; k < group.size(); ++k) {
      const std::size_t n = group[k];
      SequenceTrace<Real>& trace = state.group.traces[k];
      const std::size_t first = layout.offsets[n];
      const std::size_t first_score = first_score_row(model, layout, n) * C;
      std::copy(trace.scores.begin(), trace.scores.end(), static_cast<Real*>(outputs.scores.data) + first_score);
      const std::size_t predicted = predicted_class(trace.scores, C);
      if (targets != nullptr) targets[n] = static_cast<int32_t>(predicted);
      if (given_weights == nullptr) argmax_weights(trace.scores.size(), C, predicted, state.argmax_targets[k]);
      state.jobs.push_back(SequenceJob<Real>{model,
                                             settings,
                                             trace,
                                             given_weights == nullptr ? state.argmax_targets[k].data() : given_weights + first_score,
                                             static_cast<Real*>(outputs.relevance.data) + first * model.input_size,
                                             static_cast<Real*>(outputs.per_step.data) + first,
                                             static_cast<double*>(outputs.conservation.data) + n * LSTM_LRP_CONSERVATION_SIZE,
                                             state.workspaces[lrp ? k : 0],
                                             lone_sequence ? threads : 1,
                                             {}});
    }
    if (lrp)
      explain_lrp_group(state.jobs.data(), state.jobs.size());
    else
      for (SequenceJob<Real>& job : state.jobs) kExplainMethods<Real>[settings.method](job);
    for (std::size_t k = 0; k < group.size(); ++k) {
      if (state.jobs[k].failure.empty()) continue;
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (group[k] < failed_sequence) {
        failed_sequence = group[k];
        failure = "sequence " + std::to_string(group[k]) + ": " + state.jobs[k].failure;
      }
    }
    if (!group_outputs_finite(model, layout, outputs, group)) outputs_finite = false;
  });
  if (!failure.empty()) return Status::invalid(failure);
  // Each group's thread checked its outputs; the search below, on one thread, only names the first bad value.
  if (outputs_finite) return Status::ok();
  const std::size_t count = layout.offsets.size() - 1;
  LSTM_LRP_RETURN_IF_ERROR(
      check_finite_rows(static_cast<const Real*>(outputs.scores.data), layout.score_rows, C, score_row_offsets(model, layout), "score"));
  LSTM_LRP_RETURN_IF_ERROR(check_finite_rows(static_cast<const Real*>(outputs.relevance.data), total_steps, model.input_size,
                                             &layout.offsets, "input relevance"));
  LSTM_LRP_RETURN_IF_ERROR(
      check_finite_rows(static_cast<const Real*>(outputs.per_step.data), total_steps, 1, &layout.offsets, "per-step relevance"));
  // LRP's conservation report, CD's phrase split or integrated gradients' completeness report.
  return check_finite_rows(static_cast<const double*>(outputs.conservation.data), count, LSTM_LRP_CONSERVATION_SIZE, nullptr,
                           "summary (conservation, CD parts or completeness)");
}

template Status predict_batch<float>(const Model<float>&, const lstm_lrp_batch&, const lstm_lrp_output_buffer&,
                                     const lstm_lrp_output_buffer&, std::size_t);
template Status predict_batch<double>(const Model<double>&, const lstm_lrp_batch&, const lstm_lrp_output_buffer&,
                                      const lstm_lrp_output_buffer&, std::size_t);
template Status explain_batch<float>(const Model<float>&, const lstm_lrp_explain_options&, const lstm_lrp_batch&,
                                     const lstm_lrp_input_buffer&, const lstm_lrp_explain_outputs&, std::size_t);
template Status explain_batch<double>(const Model<double>&, const lstm_lrp_explain_options&, const lstm_lrp_batch&,
                                      const lstm_lrp_input_buffer&, const lstm_lrp_explain_outputs&, std::size_t);

}  // namespace lstm_lrp
