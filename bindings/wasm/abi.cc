// The C ABI as the WASM module exports it. JavaScript cannot build C structs
// portably, so each call takes one float64 array of fields (pointers, lengths,
// codes, numbers) at the positions native/include/lstm_lrp.h gives
// (LSTM_LRP_WASM_*) and lays them into the structs of that header.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lstm_lrp.h"

namespace {

// A call's fields from `base` on; the caller checks the array's size before reading.
class Fields {
 public:
  Fields(const double* values, int32_t base = 0) : values_(values + base) {}

  double number(int32_t at) const { return values_[at]; }
  int32_t integer(int32_t at) const { return static_cast<int32_t>(values_[at]); }
  bool flag(int32_t at) const { return values_[at] != 0; }
  const void* pointer(int32_t at) const { return reinterpret_cast<const void*>(static_cast<uintptr_t>(values_[at])); }
  lstm_lrp_input_buffer input(int32_t at) const { return {pointer(at), static_cast<int64_t>(values_[at + 1])}; }
  lstm_lrp_output_buffer output(int32_t at) const { return {const_cast<void*>(pointer(at)), static_cast<int64_t>(values_[at + 1])}; }
  const double* span(int32_t at) const { return values_ + at; }
  Fields from(int32_t at) const { return Fields(values_, at); }

 private:
  const double* values_;
};

// A field array of the wrong size is a bug in the JavaScript loader, not bad input.
constexpr int32_t kMalformedFields = LSTM_LRP_INTERNAL_ERROR;

// The layers a count field announces, or none when the count is out of range (the kernel then
// refuses the description with its own message).
int32_t layer_count(double announced) {
  return announced >= 1 && announced <= static_cast<double>(LSTM_LRP_MAX_LAYERS) ? static_cast<int32_t>(announced) : 0;
}

lstm_lrp_batch read_batch(const Fields& fields) {
  lstm_lrp_batch batch{};
  batch.count = fields.integer(LSTM_LRP_WASM_BATCH_COUNT);
  batch.lengths = static_cast<const int32_t*>(fields.pointer(LSTM_LRP_WASM_BATCH_LENGTHS));
  batch.inputs = fields.input(LSTM_LRP_WASM_BATCH_INPUTS);
  batch.tokens = fields.input(LSTM_LRP_WASM_BATCH_TOKENS);
  return batch;
}

template <typename Buffer, typename Read>
void read_pair(Buffer (&pair)[2], int32_t at, Read read) {
  pair[0] = read(at);
  pair[1] = read(at + 2);
}

// The tensors from `base` on, which must be the array's last fields: the layers land in `layers`.
bool read_tensors(const double* values, int32_t count, int32_t base, std::vector<lstm_lrp_layer_tensors>& layers,
                  lstm_lrp_tensors& tensors) {
  if (count < base + LSTM_LRP_WASM_TENSORS_LAYERS) return false;
  const Fields fields(values, base);
  layers.resize(layer_count(fields.number(LSTM_LRP_WASM_TENSORS_NUM_LAYERS)));
  const int32_t num_layers = static_cast<int32_t>(layers.size());
  if (count != base + LSTM_LRP_WASM_TENSORS_LAYERS + num_layers * LSTM_LRP_WASM_TENSOR_LAYER_SIZE + LSTM_LRP_WASM_TENSOR_HEAD_SIZE)
    return false;
  tensors.embedding = fields.output(LSTM_LRP_WASM_TENSORS_EMBEDDING);
  tensors.num_layers = fields.integer(LSTM_LRP_WASM_TENSORS_NUM_LAYERS);
  for (std::size_t l = 0; l < layers.size(); l++) {
    const Fields layer = fields.from(LSTM_LRP_WASM_TENSORS_LAYERS + static_cast<int32_t>(l) * LSTM_LRP_WASM_TENSOR_LAYER_SIZE);
    const auto output = [&layer](int32_t at) { return layer.output(at); };
    read_pair(layers[l].W, LSTM_LRP_WASM_TENSOR_LAYER_W, output);
    read_pair(layers[l].U, LSTM_LRP_WASM_TENSOR_LAYER_U, output);
    read_pair(layers[l].b, LSTM_LRP_WASM_TENSOR_LAYER_B, output);
    read_pair(layers[l].b_hn, LSTM_LRP_WASM_TENSOR_LAYER_B_HN, output);
  }
  tensors.layers = layers.data();
  const Fields head = fields.from(LSTM_LRP_WASM_TENSORS_LAYERS + num_layers * LSTM_LRP_WASM_TENSOR_LAYER_SIZE);
  tensors.head_weight = head.output(LSTM_LRP_WASM_TENSOR_HEAD_WEIGHT);
  tensors.head_bias = head.output(LSTM_LRP_WASM_TENSOR_HEAD_BIAS);
  return true;
}

}  // namespace

extern "C" {

int32_t lstm_lrp_wasm_model_create(const double* values, int32_t count, lstm_lrp_model** out) {
  if (count < LSTM_LRP_WASM_MODEL_SIZE) return kMalformedFields;
  const Fields fields(values);
  std::vector<lstm_lrp_layer_desc> layers(layer_count(fields.number(LSTM_LRP_WASM_MODEL_NUM_LAYERS)));
  if (count != LSTM_LRP_WASM_MODEL_SIZE + static_cast<int32_t>(layers.size()) * LSTM_LRP_WASM_LAYER_SIZE) return kMalformedFields;
  lstm_lrp_model_desc desc{};
  desc.dtype = fields.integer(LSTM_LRP_WASM_MODEL_DTYPE);
  desc.input_size = fields.integer(LSTM_LRP_WASM_MODEL_INPUT_SIZE);
  desc.vocab_size = fields.integer(LSTM_LRP_WASM_MODEL_VOCAB_SIZE);
  desc.embedding = fields.input(LSTM_LRP_WASM_MODEL_EMBEDDING);
  desc.num_layers = fields.integer(LSTM_LRP_WASM_MODEL_NUM_LAYERS);
  desc.outputs = fields.integer(LSTM_LRP_WASM_MODEL_OUTPUTS);
  desc.head_weight = fields.input(LSTM_LRP_WASM_MODEL_HEAD_WEIGHT);
  desc.head_bias = fields.input(LSTM_LRP_WASM_MODEL_HEAD_BIAS);
  desc.readout = fields.integer(LSTM_LRP_WASM_MODEL_READOUT);
  desc.input_projection_table = fields.integer(LSTM_LRP_WASM_MODEL_INPUT_PROJECTION_TABLE);
  for (std::size_t l = 0; l < layers.size(); l++) {
    const Fields field = fields.from(LSTM_LRP_WASM_MODEL_SIZE + static_cast<int32_t>(l) * LSTM_LRP_WASM_LAYER_SIZE);
    lstm_lrp_layer_desc& layer = layers[l];
    layer.hidden_size = field.integer(LSTM_LRP_WASM_LAYER_HIDDEN_SIZE);
    layer.bidirectional = field.integer(LSTM_LRP_WASM_LAYER_BIDIRECTIONAL);
    layer.cell.type = field.integer(LSTM_LRP_WASM_LAYER_TYPE);
    layer.cell.reset_after = field.flag(LSTM_LRP_WASM_LAYER_RESET_AFTER);
    layer.cell.g = field.integer(LSTM_LRP_WASM_LAYER_G);
    layer.cell.g_scale = field.number(LSTM_LRP_WASM_LAYER_G_SCALE);
    layer.cell.h = field.integer(LSTM_LRP_WASM_LAYER_H);
    layer.cell.h_scale = field.number(LSTM_LRP_WASM_LAYER_H_SCALE);
    for (int32_t block = 0; block < 4; block++) {
      layer.cell.gate_present[block] = field.flag(LSTM_LRP_WASM_LAYER_GATE_PRESENT + block);
      layer.cell.input_connected[block] = field.flag(LSTM_LRP_WASM_LAYER_INPUT_CONNECTED + block);
      layer.cell.recurrent_connected[block] = field.flag(LSTM_LRP_WASM_LAYER_RECURRENT_CONNECTED + block);
    }
    const auto input = [&field](int32_t at) { return field.input(at); };
    read_pair(layer.W, LSTM_LRP_WASM_LAYER_W, input);
    read_pair(layer.U, LSTM_LRP_WASM_LAYER_U, input);
    read_pair(layer.b, LSTM_LRP_WASM_LAYER_B, input);
    read_pair(layer.b_hn, LSTM_LRP_WASM_LAYER_B_HN, input);
  }
  desc.layers = layers.data();
  return lstm_lrp_model_create(&desc, out);
}

int32_t lstm_lrp_wasm_predict(const lstm_lrp_model* model, const double* values, int32_t count) {
  if (count != LSTM_LRP_WASM_PREDICT_SIZE) return kMalformedFields;
  const Fields fields(values);
  const lstm_lrp_batch batch = read_batch(fields);
  return lstm_lrp_predict(model, &batch, fields.output(LSTM_LRP_WASM_PREDICT_SCORES), fields.output(LSTM_LRP_WASM_PREDICT_PROBABILITIES));
}

int32_t lstm_lrp_wasm_explain(const lstm_lrp_model* model, const double* values, int32_t count) {
  if (count != LSTM_LRP_WASM_EXPLAIN_SIZE) return kMalformedFields;
  const Fields fields(values);
  const lstm_lrp_batch batch = read_batch(fields);
  lstm_lrp_explain_options options{};
  const lstm_lrp_status unpacked =
      lstm_lrp_unpack_explain_options(fields.span(LSTM_LRP_WASM_EXPLAIN_OPTIONS), LSTM_LRP_PACKED_OPTIONS_SIZE, &options);
  if (unpacked != LSTM_LRP_OK) return unpacked;
  options.occlusion_vector = fields.input(LSTM_LRP_WASM_EXPLAIN_OCCLUSION_VECTOR);
  options.ig_baseline = fields.input(LSTM_LRP_WASM_EXPLAIN_IG_BASELINE);
  lstm_lrp_explain_outputs outputs{};
  outputs.scores = fields.output(LSTM_LRP_WASM_EXPLAIN_SCORES);
  outputs.relevance = fields.output(LSTM_LRP_WASM_EXPLAIN_RELEVANCE);
  outputs.per_step = fields.output(LSTM_LRP_WASM_EXPLAIN_PER_STEP);
  outputs.conservation = fields.output(LSTM_LRP_WASM_EXPLAIN_CONSERVATION);
  outputs.targets = fields.output(LSTM_LRP_WASM_EXPLAIN_TARGETS);
  return lstm_lrp_explain(model, &options, &batch, fields.input(LSTM_LRP_WASM_EXPLAIN_TARGET_WEIGHTS), &outputs);
}

int32_t lstm_lrp_wasm_model_weights(const lstm_lrp_model* model, const double* values, int32_t count) {
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
  if (!read_tensors(values, count, 0, layers, tensors)) return kMalformedFields;
  return lstm_lrp_model_weights(model, &tensors);
}

// results: [mean loss] out.
int32_t lstm_lrp_wasm_gradients(const lstm_lrp_model* model, const double* values, int32_t count, double* results) {
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
  if (!read_tensors(values, count, LSTM_LRP_WASM_LOSS_SIZE, layers, tensors)) return kMalformedFields;
  const Fields fields(values);
  const lstm_lrp_batch batch = read_batch(fields);
  return lstm_lrp_gradients(model, &batch, fields.integer(LSTM_LRP_WASM_LOSS_LOSS), fields.input(LSTM_LRP_WASM_LOSS_TARGETS), &results[0],
                            &tensors);
}

// results: [mean loss, correct] out.
int32_t lstm_lrp_wasm_evaluate(const lstm_lrp_model* model, const double* values, int32_t count, double* results) {
  if (count != LSTM_LRP_WASM_LOSS_SIZE) return kMalformedFields;
  const Fields fields(values);
  const lstm_lrp_batch batch = read_batch(fields);
  int64_t correct = 0;
  const int32_t status = lstm_lrp_evaluate(model, &batch, fields.integer(LSTM_LRP_WASM_LOSS_LOSS), fields.input(LSTM_LRP_WASM_LOSS_TARGETS),
                                           &results[0], &correct);
  results[1] = static_cast<double>(correct);
  return status;
}

int32_t lstm_lrp_wasm_trainer_create(lstm_lrp_model* model, const double* values, int32_t count, lstm_lrp_trainer** out) {
  if (count != LSTM_LRP_WASM_TRAINER_SIZE) return kMalformedFields;
  const Fields fields(values);
  lstm_lrp_train_options options{};
  options.loss = fields.integer(LSTM_LRP_WASM_TRAINER_LOSS);
  options.optimizer = fields.integer(LSTM_LRP_WASM_TRAINER_OPTIMIZER);
  options.learning_rate = fields.number(LSTM_LRP_WASM_TRAINER_LEARNING_RATE);
  options.beta1 = fields.number(LSTM_LRP_WASM_TRAINER_BETA1);
  options.beta2 = fields.number(LSTM_LRP_WASM_TRAINER_BETA2);
  options.epsilon = fields.number(LSTM_LRP_WASM_TRAINER_EPSILON);
  options.weight_decay = fields.number(LSTM_LRP_WASM_TRAINER_WEIGHT_DECAY);
  options.clip_norm = fields.number(LSTM_LRP_WASM_TRAINER_CLIP_NORM);
  return lstm_lrp_trainer_create(model, &options, out);
}

// results: [mean loss] out.
int32_t lstm_lrp_wasm_train_step(lstm_lrp_trainer* trainer, const double* values, int32_t count, double* results) {
  if (count != LSTM_LRP_WASM_STEP_SIZE) return kMalformedFields;
  const Fields fields(values);
  const lstm_lrp_batch batch = read_batch(fields);
  return lstm_lrp_train_step(trainer, &batch, fields.input(LSTM_LRP_WASM_STEP_TARGETS), &results[0]);
}

}  // extern "C"
