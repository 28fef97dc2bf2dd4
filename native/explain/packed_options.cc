#include "packed_options.h"

#include <string>
#include <utility>

namespace lstm_lrp {
namespace {

const char* const kPackedNames[LSTM_LRP_PACKED_OPTIONS_SIZE] = {
    "method",
    "eps",
    "bias factor",
    "input product rule",
    "forget product rule",
    "output product rule",
    "update product rule",
    "reset product rule",
    "input product eps",
    "forget product eps",
    "output product eps",
    "update product eps",
    "reset product eps",
    "init",
    "occlusion score",
    "occlusion replacement",
    "CD convention",
    "CD phrase start",
    "CD phrase stop",
    "integrated-gradients steps",
    "integrated-gradients rule",
    "samples",
    "seed",
    "exact Shapley values",
    "LIME kernel width",
    "LIME ridge",
    "SmoothGrad noise",
    "SmoothGrad base method",
};

// An integer option must arrive exactly: the kernel checks its range, but nothing may be truncated on the way.
Status integer_at(const double* values, int slot, int32_t& out) {
  const double value = values[slot];
  if (!(value >= -2147483648.0 && value <= 2147483647.0) || value != static_cast<double>(static_cast<int32_t>(value)))
    return Status::invalid(std::string("explain option ") + kPackedNames[slot] + " must be a 32-bit integer; got " + std::to_string(value));
  out = static_cast<int32_t>(value);
  return Status::ok();
}

// The seed is any unsigned 32-bit integer, which the int32 slots cannot hold.
Status seed_at(const double* values, uint32_t& out) {
  const double value = values[LSTM_LRP_PACKED_SEED];
  if (!(value >= 0 && value <= 4294967295.0) || value != static_cast<double>(static_cast<uint32_t>(value)))
    return Status::invalid("explain option seed must be an integer in [0, 4294967295]; got " + std::to_string(value));
  out = static_cast<uint32_t>(value);
  return Status::ok();
}

}  // namespace

Status unpack_explain_options(const double* values, std::int64_t count, lstm_lrp_explain_options& options) {
  if (values == nullptr) return Status::invalid("packed explain options are a null pointer");
  if (count != LSTM_LRP_PACKED_OPTIONS_SIZE)
    return Status::invalid("packed explain options hold " + std::to_string(count) + " values; expected " +
                           std::to_string(LSTM_LRP_PACKED_OPTIONS_SIZE));
  const std::pair<int, int32_t*> integers[] = {
      {LSTM_LRP_PACKED_METHOD, &options.method},
      {LSTM_LRP_PACKED_PRODUCT_RULE + LSTM_LRP_PRODUCT_INPUT, &options.product_rule[LSTM_LRP_PRODUCT_INPUT]},
      {LSTM_LRP_PACKED_PRODUCT_RULE + LSTM_LRP_PRODUCT_FORGET, &options.product_rule[LSTM_LRP_PRODUCT_FORGET]},
      {LSTM_LRP_PACKED_PRODUCT_RULE + LSTM_LRP_PRODUCT_OUTPUT, &options.product_rule[LSTM_LRP_PRODUCT_OUTPUT]},
      {LSTM_LRP_PACKED_PRODUCT_RULE + LSTM_LRP_PRODUCT_UPDATE, &options.product_rule[LSTM_LRP_PRODUCT_UPDATE]},
      {LSTM_LRP_PACKED_PRODUCT_RULE + LSTM_LRP_PRODUCT_RESET, &options.product_rule[LSTM_LRP_PRODUCT_RESET]},
      {LSTM_LRP_PACKED_INIT, &options.init},
      {LSTM_LRP_PACKED_OCCLUSION_SCORE, &options.occlusion_score},
      {LSTM_LRP_PACKED_OCCLUSION_REPLACEMENT, &options.occlusion_replacement},
      {LSTM_LRP_PACKED_CD_CONVENTION, &options.cd_convention},
      {LSTM_LRP_PACKED_CD_PHRASE_START, &options.cd_phrase_start},
      {LSTM_LRP_PACKED_CD_PHRASE_STOP, &options.cd_phrase_stop},
      {LSTM_LRP_PACKED_IG_STEPS, &options.ig_steps},
      {LSTM_LRP_PACKED_IG_RULE, &options.ig_rule},
      {LSTM_LRP_PACKED_SAMPLES, &options.samples},
      {LSTM_LRP_PACKED_SHAPLEY_EXACT, &options.shapley_exact},
      {LSTM_LRP_PACKED_SMOOTHGRAD_BASE, &options.smoothgrad_base},
  };
  for (const auto& [slot, field] : integers) LSTM_LRP_RETURN_IF_ERROR(integer_at(values, slot, *field));
  options.eps = values[LSTM_LRP_PACKED_EPS];
  options.bias_factor = values[LSTM_LRP_PACKED_BIAS_FACTOR];
  for (int p = 0; p < LSTM_LRP_PRODUCTS; ++p) options.product_eps[p] = values[LSTM_LRP_PACKED_PRODUCT_EPS + p];
  LSTM_LRP_RETURN_IF_ERROR(seed_at(values, options.seed));
  options.lime_kernel_width = values[LSTM_LRP_PACKED_LIME_KERNEL_WIDTH];
  options.lime_ridge = values[LSTM_LRP_PACKED_LIME_RIDGE];
  options.smoothgrad_noise = values[LSTM_LRP_PACKED_SMOOTHGRAD_NOISE];
  return Status::ok();
}

}  // namespace lstm_lrp
