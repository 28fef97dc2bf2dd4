// The C ABI as the WASM module exports it. JavaScript cannot build C structs
// portably, so each call takes one float64 array of fields (pointers, lengths,
// codes, numbers) in the order documented below and lays it into the structs of
// native/include/lstm_lrp.h. Pointers and lengths fit a double exactly on wasm32.
#include <cstdint>
#include <vector>

#include "lstm_lrp.h"

namespace {

class Fields {
 public:
  Fields(const double* values, int32_t count) : values_(values), count_(count) {}

  bool complete() const { return ok_ && next_ == count_; }
  double number() { return next_ < count_ ? values_[next_++] : (ok_ = false, 0.0); }
  int32_t integer() { return static_cast<int32_t>(number()); }
  const void* pointer() { return reinterpret_cast<const void*>(static_cast<uintptr_t>(number())); }
  lstm_lrp_input_buffer input() {
    const void* data = pointer();
    return {data, static_cast<int64_t>(number())};
  }
  lstm_lrp_output_buffer output() {
    lstm_lrp_input_buffer view = input();
    return {const_cast<void*>(view.data), view.length};
  }
  // The next `size` values as one array (nullptr when fewer are left).
  const double* span(int32_t size) {
    if (size > count_ - next_) return ok_ = false, nullptr;
    const double* first = values_ + next_;
    next_ += size;
    return first;
  }

 private:
  const double* values_;
  int32_t count_;
  int32_t next_ = 0;
  bool ok_ = true;
};

void read_batch(Fields& fields, lstm_lrp_batch& batch) {
  batch.count = fields.integer();
  batch.lengths = static_cast<const int32_t*>(fields.pointer());
  batch.inputs = fields.input();
  batch.tokens = fields.input();
}

// Fields: embedding (ptr, len), num_layers, per layer W[2], U[2], b[2] (ptr, len each),
// head_weight (ptr, len), head_bias (ptr, len). The layers land in `layers`.
bool read_tensors(Fields& fields, std::vector<lstm_lrp_layer_tensors>& layers, lstm_lrp_tensors& tensors) {
  tensors.embedding = fields.output();
  tensors.num_layers = fields.integer();
  layers.resize(tensors.num_layers > 0 && tensors.num_layers <= LSTM_LRP_MAX_LAYERS ? tensors.num_layers : 0);
  for (lstm_lrp_layer_tensors& layer : layers) {
    for (lstm_lrp_output_buffer& w : layer.W) w = fields.output();
    for (lstm_lrp_output_buffer& u : layer.U) u = fields.output();
    for (lstm_lrp_output_buffer& b : layer.b) b = fields.output();
  }
  tensors.layers = layers.data();
  tensors.head_weight = fields.output();
  tensors.head_bias = fields.output();
  return fields.complete();
}

// A field array of the wrong size is a bug in the JavaScript loader, not bad input.
constexpr int32_t kMalformedFields = LSTM_LRP_INTERNAL_ERROR;

}  // namespace

extern "C" {

// Fields: dtype, input_size, vocab_size, embedding (ptr, len), num_layers, outputs,
// head_weight (ptr, len), head_bias (ptr, len), readout, input_projection_table, then per layer: hidden_size,
// bidirectional, g, g_scale, h, h_scale, gate_present[4], input_connected[4],
// recurrent_connected[4], W[2], U[2], b[2] (ptr, len each).
int32_t lstm_lrp_wasm_model_create(const double* values, int32_t count, lstm_lrp_model** out) {
  Fields fields(values, count);
  lstm_lrp_model_desc desc{};
  desc.dtype = fields.integer();
  desc.input_size = fields.integer();
  desc.vocab_size = fields.integer();
  desc.embedding = fields.input();
  desc.num_layers = fields.integer();
  desc.outputs = fields.integer();
  desc.head_weight = fields.input();
  desc.head_bias = fields.input();
  desc.readout = fields.integer();
  desc.input_projection_table = fields.integer();
  std::vector<lstm_lrp_layer_desc> layers(desc.num_layers > 0 && desc.num_layers <= LSTM_LRP_MAX_LAYERS ? desc.num_layers : 0);
  for (lstm_lrp_layer_desc& layer : layers) {
    layer.hidden_size = fields.integer();
    layer.bidirectional = fields.integer();
    layer.cell.g = fields.integer();
    layer.cell.g_scale = fields.number();
    layer.cell.h = fields.integer();
    layer.cell.h_scale = fields.number();
    for (uint8_t& flag : layer.cell.gate_present) flag = fields.integer() != 0;
    for (uint8_t& flag : layer.cell.input_connected) flag = fields.integer() != 0;
    for (uint8_t& flag : layer.cell.recurrent_connected) flag = fields.integer() != 0;
    for (lstm_lrp_input_buffer& w : layer.W) w = fields.input();
    for (lstm_lrp_input_buffer& u : layer.U) u = fields.input();
    for (lstm_lrp_input_buffer& b : layer.b) b = fields.input();
  }
  desc.layers = layers.data();
  if (!fields.complete()) return kMalformedFields;
  return lstm_lrp_model_create(&desc, out);
}

// Fields: batch (count, lengths ptr, inputs ptr, len, tokens ptr, len), scores (ptr, len),
// probabilities (ptr, len).
int32_t lstm_lrp_wasm_predict(const lstm_lrp_model* model, const double* values, int32_t count) {
  Fields fields(values, count);
  lstm_lrp_batch batch{};
  read_batch(fields, batch);
  const lstm_lrp_output_buffer scores = fields.output();
  const lstm_lrp_output_buffer probabilities = fields.output();
  if (!fields.complete()) return kMalformedFields;
  return lstm_lrp_predict(model, &batch, scores, probabilities);
}

// Fields: batch (6), the packed options (LSTM_LRP_PACKED_OPTIONS_SIZE), occlusion_vector (ptr,
// len), ig_baseline (ptr, len), target_weights (ptr, len), outputs scores, relevance, per_step,
// conservation, targets (ptr, len each).
int32_t lstm_lrp_wasm_explain(const lstm_lrp_model* model, const double* values, int32_t count) {
  Fields fields(values, count);
  lstm_lrp_batch batch{};
  read_batch(fields, batch);
  lstm_lrp_explain_options options{};
  const double* packed = fields.span(LSTM_LRP_PACKED_OPTIONS_SIZE);
  if (packed == nullptr) return kMalformedFields;
  const lstm_lrp_status unpacked = lstm_lrp_unpack_explain_options(packed, LSTM_LRP_PACKED_OPTIONS_SIZE, &options);
  if (unpacked != LSTM_LRP_OK) return unpacked;
  options.occlusion_vector = fields.input();
  options.ig_baseline = fields.input();
  const lstm_lrp_input_buffer target_weights = fields.input();
  lstm_lrp_explain_outputs outputs{};
  outputs.scores = fields.output();
  outputs.relevance = fields.output();
  outputs.per_step = fields.output();
  outputs.conservation = fields.output();
  outputs.targets = fields.output();
  if (!fields.complete()) return kMalformedFields;
  return lstm_lrp_explain(model, &options, &batch, target_weights, &outputs);
}

int32_t lstm_lrp_wasm_model_weights(const lstm_lrp_model* model, const double* values, int32_t count) {
  Fields fields(values, count);
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
  if (!read_tensors(fields, layers, tensors)) return kMalformedFields;
  return lstm_lrp_model_weights(model, &tensors);
}

// Fields: batch (6), loss, targets (ptr, len), then the tensors as for model_weights.
// results: [mean loss] out.
int32_t lstm_lrp_wasm_gradients(const lstm_lrp_model* model, const double* values, int32_t count, double* results) {
  Fields fields(values, count);
  lstm_lrp_batch batch{};
  read_batch(fields, batch);
  const int32_t loss = fields.integer();
  const lstm_lrp_input_buffer targets = fields.input();
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
  if (!read_tensors(fields, layers, tensors)) return kMalformedFields;
  return lstm_lrp_gradients(model, &batch, loss, targets, &results[0], &tensors);
}

// Fields: batch (6), loss, targets (ptr, len). results: [mean loss, correct] out.
int32_t lstm_lrp_wasm_evaluate(const lstm_lrp_model* model, const double* values, int32_t count, double* results) {
  Fields fields(values, count);
  lstm_lrp_batch batch{};
  read_batch(fields, batch);
  const int32_t loss = fields.integer();
  const lstm_lrp_input_buffer targets = fields.input();
  if (!fields.complete()) return kMalformedFields;
  int64_t correct = 0;
  const int32_t status = lstm_lrp_evaluate(model, &batch, loss, targets, &results[0], &correct);
  results[1] = static_cast<double>(correct);
  return status;
}

// Fields: loss, optimizer, learning_rate, beta1, beta2, epsilon, weight_decay, clip_norm.
int32_t lstm_lrp_wasm_trainer_create(lstm_lrp_model* model, const double* values, int32_t count, lstm_lrp_trainer** out) {
  Fields fields(values, count);
  lstm_lrp_train_options options{};
  options.loss = fields.integer();
  options.optimizer = fields.integer();
  options.learning_rate = fields.number();
  options.beta1 = fields.number();
  options.beta2 = fields.number();
  options.epsilon = fields.number();
  options.weight_decay = fields.number();
  options.clip_norm = fields.number();
  if (!fields.complete()) return kMalformedFields;
  return lstm_lrp_trainer_create(model, &options, out);
}

// Fields: batch (6), targets (ptr, len). results: [mean loss] out.
int32_t lstm_lrp_wasm_train_step(lstm_lrp_trainer* trainer, const double* values, int32_t count, double* results) {
  Fields fields(values, count);
  lstm_lrp_batch batch{};
  read_batch(fields, batch);
  const lstm_lrp_input_buffer targets = fields.input();
  if (!fields.complete()) return kMalformedFields;
  return lstm_lrp_train_step(trainer, &batch, targets, &results[0]);
}

}  // extern "C"
