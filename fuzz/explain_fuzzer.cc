// libFuzzer target over the C ABI (native/include/lstm_lrp.h). The fuzz bytes are decoded into
// a small model description (sizes bounded, cell flags, activations, weights possibly
// non-finite, buffer lengths possibly wrong), a batch (lengths, tokens or inputs, possibly
// wrong lengths), explain options (every method, rule, eps, phrase, IG steps) and training
// options; then every entry point runs on them. Errors are fine; a crash, a sanitizer report
// or a wrong status contract (OK with a non-empty error, a model pointer on failure) is a bug.
//
// Buffers always really hold the length they claim: the C ABI trusts a caller's
// (pointer, length) pair, so lying about it would be a harness bug, not a kernel bug.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <limits>
#include <vector>

#include "lstm_lrp.h"

namespace {

// A byte-aligned arena of buffers that outlive one fuzz input.
struct Storage {
  std::vector<std::vector<double>> f64;
  std::vector<std::vector<float>> f32;
  std::vector<std::vector<int32_t>> i32;
};

void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "contract violated: %s (last error: %s)\n", what, lstm_lrp_last_error());
    std::abort();
  }
}

// Status codes are only ever the five documented ones (fuzzed weights may overflow: NUMERIC_ERROR).
void check_status(lstm_lrp_status status) {
  check(status == LSTM_LRP_OK || status == LSTM_LRP_INVALID_ARGUMENT || status == LSTM_LRP_OUT_OF_MEMORY ||
            status == LSTM_LRP_INTERNAL_ERROR || status == LSTM_LRP_NUMERIC_ERROR,
        "status is a documented code");
  check(status != LSTM_LRP_INTERNAL_ERROR, "no internal error on any input");
  if (status != LSTM_LRP_OK) check(lstm_lrp_last_error()[0] != '\0', "a failure names its problem");
}

double fuzz_number(FuzzedDataProvider& in, bool allow_special) {
  const uint8_t kind = in.ConsumeIntegral<uint8_t>();
  if (allow_special && kind >= 250) {
    switch (kind) {
      case 250: return std::numeric_limits<double>::quiet_NaN();
      case 251: return std::numeric_limits<double>::infinity();
      case 252: return -std::numeric_limits<double>::infinity();
      case 253: return 1e300;
      case 254: return -1e-310;  // subnormal
      default: return 0.0;
    }
  }
  // Mostly small values in [-2, 2] on a coarse grid; sometimes a larger magnitude.
  const double value = (static_cast<int>(kind) - 125) / 62.5;
  return kind % 17 == 0 ? value * 1e3 : value;
}

// Length of a buffer: usually the expected one, sometimes off by one or zero.
int64_t fuzz_length(FuzzedDataProvider& in, int64_t expected) {
  switch (in.ConsumeIntegralInRange<uint8_t>(0, 15)) {
    case 0: return expected > 0 ? expected - 1 : 0;
    case 1: return expected + 1;
    case 2: return 0;
    default: return expected;
  }
}

// A buffer of model dtype; absent (null) with a small probability when absent_ok.
lstm_lrp_input_buffer fuzz_tensor(FuzzedDataProvider& in, Storage& storage, bool f64, int64_t expected, bool special) {
  if (in.ConsumeIntegralInRange<uint8_t>(0, 63) == 0) return {nullptr, expected};
  const int64_t length = fuzz_length(in, expected);
  if (f64) {
    storage.f64.emplace_back(static_cast<std::size_t>(length > 0 ? length : 1));
    for (int64_t k = 0; k < length; ++k) storage.f64.back()[k] = fuzz_number(in, special);
    return {storage.f64.back().data(), length};
  }
  storage.f32.emplace_back(static_cast<std::size_t>(length > 0 ? length : 1));
  for (int64_t k = 0; k < length; ++k) storage.f32.back()[k] = static_cast<float>(fuzz_number(in, special));
  return {storage.f32.back().data(), length};
}

lstm_lrp_output_buffer output_buffer(FuzzedDataProvider& in, Storage& storage, bool f64, int64_t expected) {
  if (in.ConsumeIntegralInRange<uint8_t>(0, 63) == 0) return {nullptr, expected};
  const int64_t length = fuzz_length(in, expected);
  if (f64) {
    storage.f64.emplace_back(static_cast<std::size_t>(length > 0 ? length : 1), 0.0);
    return {storage.f64.back().data(), length};
  }
  storage.f32.emplace_back(static_cast<std::size_t>(length > 0 ? length : 1), 0.0f);
  return {storage.f32.back().data(), length};
}

lstm_lrp_output_buffer int_output(FuzzedDataProvider& in, Storage& storage, int64_t expected) {
  const int64_t length = fuzz_length(in, expected);
  storage.i32.emplace_back(static_cast<std::size_t>(length > 0 ? length : 1), 0);
  return {storage.i32.back().data(), length};
}

// Per layer, the sizes the description implies (what a correct caller would pass).
struct Shape {
  int64_t input = 0, hidden = 0, directions = 1;
};

struct TensorsOut {
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
};

// Gradient / weight outputs in the layout the model expects (sometimes wrong).
void tensors_out(FuzzedDataProvider& in, Storage& storage, bool f64, const std::vector<Shape>& shapes, int64_t vocab, int64_t input_size,
                 int64_t outputs, int64_t head_input, bool head_bias, TensorsOut& out) {
  out.tensors.embedding = vocab > 0 ? output_buffer(in, storage, f64, vocab * input_size) : lstm_lrp_output_buffer{nullptr, 0};
  out.layers.resize(shapes.size());
  for (std::size_t l = 0; l < shapes.size(); ++l) {
    const Shape& s = shapes[l];
    for (int d = 0; d < 2; ++d) {
      const bool present = d < s.directions;
      out.layers[l].W[d] = present ? output_buffer(in, storage, f64, 4 * s.hidden * s.input) : lstm_lrp_output_buffer{nullptr, 0};
      out.layers[l].U[d] = present ? output_buffer(in, storage, f64, 4 * s.hidden * s.hidden) : lstm_lrp_output_buffer{nullptr, 0};
      out.layers[l].b[d] = present ? output_buffer(in, storage, f64, 4 * s.hidden) : lstm_lrp_output_buffer{nullptr, 0};
    }
  }
  out.tensors.num_layers = static_cast<int32_t>(shapes.size());
  if (in.ConsumeIntegralInRange<uint8_t>(0, 31) == 0) out.tensors.num_layers += 1;
  out.tensors.layers = out.tensors.num_layers > static_cast<int32_t>(shapes.size()) ? nullptr : out.layers.data();
  out.tensors.head_weight = output_buffer(in, storage, f64, outputs * head_input);
  out.tensors.head_bias = head_bias ? output_buffer(in, storage, f64, outputs) : lstm_lrp_output_buffer{nullptr, 0};
}

double pick(FuzzedDataProvider& in, std::initializer_list<double> values) {
  const std::size_t k = in.ConsumeIntegralInRange<std::size_t>(0, values.size() - 1);
  return values.begin()[k];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Storage storage;
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  const double kInf = std::numeric_limits<double>::infinity();

  static const char* const kIsas[] = {"scalar", "sse2", "avx2", "avx512", "simd128", "bogus"};
  check_status(lstm_lrp_select_isa(kIsas[in.ConsumeIntegralInRange<int>(0, 5)]) == LSTM_LRP_OK ? LSTM_LRP_OK : LSTM_LRP_INVALID_ARGUMENT);

  // ---- model ----
  const bool special = in.ConsumeIntegralInRange<uint8_t>(0, 7) == 0;  // non-finite weights allowed at all
  lstm_lrp_model_desc desc{};
  desc.dtype = in.ConsumeIntegralInRange<int32_t>(0, 8) == 8 ? 2 : in.ConsumeIntegralInRange<int32_t>(0, 1);
  const bool f64 = desc.dtype == LSTM_LRP_F64;
  desc.input_size = in.ConsumeIntegralInRange<int32_t>(in.ConsumeBool() ? -1 : 1, 4);
  desc.vocab_size = in.ConsumeBool() ? in.ConsumeIntegralInRange<int32_t>(-1, 5) : 0;
  const int64_t input_size = desc.input_size > 0 ? desc.input_size : 0;
  const int64_t vocab = desc.vocab_size > 0 ? desc.vocab_size : 0;
  if (vocab > 0) desc.embedding = fuzz_tensor(in, storage, f64, vocab * input_size, special);
  desc.num_layers =
      in.ConsumeIntegralInRange<int32_t>(0, 8) == 0 ? in.ConsumeIntegralInRange<int32_t>(-1, 0) : in.ConsumeIntegralInRange<int32_t>(1, 3);
  std::vector<lstm_lrp_layer_desc> layers(desc.num_layers > 0 ? desc.num_layers : 0);
  std::vector<Shape> shapes;
  int64_t layer_input = input_size;
  for (auto& layer : layers) {
    layer.hidden_size = in.ConsumeIntegralInRange<int32_t>(in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? -1 : 1, 4);
    layer.bidirectional = in.ConsumeBool();
    layer.cell.g = in.ConsumeIntegralInRange<int32_t>(0, 4);
    layer.cell.h = in.ConsumeIntegralInRange<int32_t>(0, 2);
    layer.cell.g_scale = in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? pick(in, {0.0, -1.0, kNaN, kInf}) : pick(in, {1.0, 2.0, 0.5});
    layer.cell.h_scale = in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? pick(in, {0.0, -1.0, kNaN, kInf}) : pick(in, {1.0, 2.0, 0.5});
    const uint8_t flags = in.ConsumeIntegral<uint8_t>();
    const uint8_t connected = in.ConsumeIntegral<uint8_t>();
    for (int k = 0; k < 4; ++k) {
      layer.cell.gate_present[k] = k == 0 ? (flags & 1) : ((flags >> k) & 1) | (flags >= 128);
      layer.cell.input_connected[k] = ((connected >> k) & 1) | (connected >= 128);
      layer.cell.recurrent_connected[k] = ((connected >> (k + 4)) & 1) | (connected >= 128);
    }
    const int64_t H = layer.hidden_size > 0 ? layer.hidden_size : 0;
    const int directions = layer.bidirectional ? 2 : 1;
    for (int d = 0; d < directions; ++d) {
      layer.W[d] = fuzz_tensor(in, storage, f64, 4 * H * layer_input, special);
      layer.U[d] = fuzz_tensor(in, storage, f64, 4 * H * H, special);
      layer.b[d] = fuzz_tensor(in, storage, f64, 4 * H, special);
    }
    shapes.push_back({layer_input, H, directions});
    layer_input = H * directions;
  }
  desc.layers = layers.empty() ? nullptr : layers.data();
  desc.outputs = in.ConsumeIntegralInRange<int32_t>(in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? -1 : 1, 3);
  const int64_t outputs = desc.outputs > 0 ? desc.outputs : 0;
  desc.head_weight = fuzz_tensor(in, storage, f64, outputs * layer_input, special);
  const bool head_bias = in.ConsumeBool();
  if (head_bias) desc.head_bias = fuzz_tensor(in, storage, f64, outputs, special);
  desc.readout = in.ConsumeIntegralInRange<int32_t>(0, 8) == 8 ? 2 : in.ConsumeIntegralInRange<int32_t>(0, 1);

  lstm_lrp_model* model = reinterpret_cast<lstm_lrp_model*>(0x1);
  const lstm_lrp_status created = lstm_lrp_model_create(&desc, &model);
  check_status(created);
  if (created != LSTM_LRP_OK) {
    check(model == nullptr, "a failed create leaves *out null");
    return 0;
  }
  check(model != nullptr, "a successful create gives a model");

  // ---- batch ----
  lstm_lrp_batch batch{};
  batch.count = in.ConsumeIntegralInRange<int32_t>(in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? -1 : 0, 3);
  storage.i32.emplace_back(batch.count > 0 ? batch.count : 1, 1);
  std::vector<int32_t>& lengths = storage.i32.back();
  int64_t total = 0;
  for (int32_t n = 0; n < batch.count; ++n) {
    lengths[n] = in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? in.ConsumeIntegralInRange<int32_t>(-1, 0)
                                                                : in.ConsumeIntegralInRange<int32_t>(1, 5);
    total += lengths[n] > 0 ? lengths[n] : 0;
  }
  batch.lengths = batch.count > 0 && in.ConsumeIntegralInRange<uint8_t>(0, 31) == 0 ? nullptr : lengths.data();
  const uint8_t source = in.ConsumeIntegralInRange<uint8_t>(0, 9);
  const bool use_tokens = source >= 5 || (vocab > 0 && source >= 2);
  if (use_tokens || source == 0) {
    const int64_t length = fuzz_length(in, total);
    storage.i32.emplace_back(length > 0 ? length : 1, 0);
    for (int64_t k = 0; k < length; ++k)
      storage.i32.back()[k] = in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0
                                  ? in.ConsumeIntegralInRange<int32_t>(-2, 8)
                                  : in.ConsumeIntegralInRange<int32_t>(0, static_cast<int32_t>(vocab > 0 ? vocab - 1 : 0));
    batch.tokens = {storage.i32.back().data(), length};
  }
  if (!use_tokens || source == 0)
    batch.inputs = fuzz_tensor(in, storage, f64, total * input_size, in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0);
  const bool each = desc.readout == LSTM_LRP_READOUT_EACH;
  const int64_t count = batch.count > 0 ? batch.count : 0;
  const int64_t score_rows = each ? total : count;

  // ---- predict ----
  {
    lstm_lrp_output_buffer scores = output_buffer(in, storage, f64, score_rows * outputs);
    lstm_lrp_output_buffer probabilities =
        in.ConsumeBool() ? output_buffer(in, storage, true, score_rows * outputs) : lstm_lrp_output_buffer{nullptr, 0};
    check_status(lstm_lrp_predict(model, &batch, scores, probabilities));
  }

  // ---- explain, a few times with different options ----
  const int explains = in.ConsumeIntegralInRange<int>(1, 3);
  for (int e = 0; e < explains; ++e) {
    lstm_lrp_explain_options options{};
    options.method = in.ConsumeIntegralInRange<int32_t>(0, 12) == 12 ? in.ConsumeIntegralInRange<int32_t>(-1, 7)
                                                                     : in.ConsumeIntegralInRange<int32_t>(0, 5);
    options.eps = pick(in, {0.0, 1e-3, 0.01, 1.0, -1.0, kNaN, kInf});
    options.bias_factor = pick(in, {0.0, 1.0, 0.5, -0.5, 2.0, kNaN});
    for (int k = 0; k < 3; ++k) {
      options.product_rule[k] = in.ConsumeIntegralInRange<int32_t>(0, 4);
      options.product_eps[k] = pick(in, {0.0, 1e-6, 0.1, -1.0, kNaN});
    }
    options.init = in.ConsumeIntegralInRange<int32_t>(0, 2);
    options.occlusion_score = in.ConsumeIntegralInRange<int32_t>(0, 2);
    options.occlusion_replacement = in.ConsumeIntegralInRange<int32_t>(0, 3);
    if (in.ConsumeBool()) options.occlusion_vector = fuzz_tensor(in, storage, f64, input_size, special);
    options.cd_convention = in.ConsumeIntegralInRange<int32_t>(0, 2);
    options.cd_phrase_start = in.ConsumeIntegralInRange<int32_t>(-1, 6);
    options.cd_phrase_stop = in.ConsumeIntegralInRange<int32_t>(-1, 7);
    options.ig_steps = static_cast<int32_t>(pick(in, {1, 2, 3, 8, 0, -1, LSTM_LRP_IG_MAX_STEPS + 1}));
    options.ig_rule = in.ConsumeIntegralInRange<int32_t>(0, 2);
    if (in.ConsumeBool()) options.ig_baseline = fuzz_tensor(in, storage, f64, input_size, special);

    lstm_lrp_input_buffer target_weights{nullptr, 0};
    if (in.ConsumeBool()) {
      const int64_t length = fuzz_length(in, score_rows * outputs);
      storage.f64.emplace_back(length > 0 ? length : 1, 0.0);
      for (int64_t k = 0; k < length; ++k) storage.f64.back()[k] = fuzz_number(in, in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0);
      target_weights = {storage.f64.back().data(), length};
    }
    lstm_lrp_explain_outputs out{};
    out.scores = output_buffer(in, storage, f64, score_rows * outputs);
    out.relevance = output_buffer(in, storage, f64, total * input_size);
    out.per_step = output_buffer(in, storage, f64, total);
    out.conservation = output_buffer(in, storage, true, count * LSTM_LRP_CONSERVATION_SIZE);
    out.targets = in.ConsumeBool() ? int_output(in, storage, count) : lstm_lrp_output_buffer{nullptr, 0};
    check_status(lstm_lrp_explain(model, &options, &batch, target_weights, &out));
  }

  // ---- evaluate / gradients ----
  const int32_t loss = in.ConsumeIntegralInRange<int32_t>(0, 8) == 8 ? 2 : in.ConsumeIntegralInRange<int32_t>(0, 1);
  const int64_t target_count = loss == LSTM_LRP_LOSS_MSE ? score_rows * outputs : score_rows;
  const int64_t target_length = fuzz_length(in, target_count);
  storage.f64.emplace_back(target_length > 0 ? target_length : 1, 0.0);
  for (int64_t k = 0; k < target_length; ++k)
    storage.f64.back()[k] = loss == LSTM_LRP_LOSS_MSE || in.ConsumeIntegralInRange<uint8_t>(0, 7) == 0
                                ? fuzz_number(in, in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0)
                                : in.ConsumeIntegralInRange<int32_t>(0, static_cast<int32_t>(outputs > 0 ? outputs - 1 : 0));
  const lstm_lrp_input_buffer targets{storage.f64.back().data(), target_length};
  double loss_value = 0;
  int64_t correct = 0;
  check_status(lstm_lrp_evaluate(model, &batch, loss, targets, &loss_value, &correct));

  TensorsOut gradients;
  tensors_out(in, storage, f64, shapes, vocab, input_size, outputs, layer_input, head_bias, gradients);
  check_status(lstm_lrp_gradients(model, &batch, loss, targets, &loss_value, &gradients.tensors));

  // ---- training ----
  lstm_lrp_train_options train{};
  train.loss = loss;
  train.optimizer = in.ConsumeIntegralInRange<int32_t>(0, 2);
  train.learning_rate = pick(in, {0.01, 0.1, 1e3, 0.0, -1.0, kNaN});
  train.beta1 = pick(in, {0.9, 0.0, 1.0, kNaN});
  train.beta2 = pick(in, {0.999, 0.0, 1.0});
  train.epsilon = pick(in, {1e-8, 0.0, kInf});
  train.weight_decay = pick(in, {0.0, 1e-4, -1.0});
  train.clip_norm = pick(in, {0.0, 1.0, 1e-30, -1.0});
  lstm_lrp_trainer* trainer = reinterpret_cast<lstm_lrp_trainer*>(0x1);
  const lstm_lrp_status trainer_status = lstm_lrp_trainer_create(model, &train, &trainer);
  check_status(trainer_status);
  if (trainer_status == LSTM_LRP_OK) {
    const int steps = in.ConsumeIntegralInRange<int>(1, 3);
    for (int s = 0; s < steps; ++s) check_status(lstm_lrp_train_step(trainer, &batch, targets, &loss_value));
    lstm_lrp_trainer_destroy(trainer);
    // The model after training (weights possibly huge or non-finite) must still answer cleanly.
    lstm_lrp_explain_options options{};
    options.method = in.ConsumeIntegralInRange<int32_t>(0, 5);
    options.ig_steps = 2;
    options.bias_factor = 1.0;
    lstm_lrp_explain_outputs out{};
    out.scores = output_buffer(in, storage, f64, score_rows * outputs);
    out.relevance = output_buffer(in, storage, f64, total * input_size);
    out.per_step = output_buffer(in, storage, f64, total);
    out.conservation = output_buffer(in, storage, true, count * LSTM_LRP_CONSERVATION_SIZE);
    check_status(lstm_lrp_explain(model, &options, &batch, {nullptr, 0}, &out));
  } else {
    check(trainer == nullptr, "a failed trainer create leaves *out null");
  }

  TensorsOut weights;
  tensors_out(in, storage, f64, shapes, vocab, input_size, outputs, layer_input, head_bias, weights);
  check_status(lstm_lrp_model_weights(model, &weights.tensors));

  lstm_lrp_model_destroy(model);
  return 0;
}
