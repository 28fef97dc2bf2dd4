// The shipped SST model's shape (E = H = 60, one bidirectional LSTM layer, C = 5, readout
// last) with random weights (the time does not depend on them), for the C++ benchmarks that
// call the kernel through its C ABI.
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "lstm_lrp.h"

namespace sst_shape {

constexpr int kInput = 60, kHidden = 60, kGates = 4 * kHidden, kClasses = 5;

inline std::vector<float> random_values(std::mt19937& random, std::size_t count) {
  std::uniform_real_distribution<float> value(-0.15f, 0.15f);
  std::vector<float> values(count);
  for (float& v : values) v = value(random);
  return values;
}

// W, U and b per direction as the C ABI lays them out ([4H][I], [4H][H], [4H], blocks z, i, f, o).
struct Weights {
  int vocabulary;
  std::vector<float> embedding, head;
  std::vector<float> W[2], U[2], b[2];
};

inline Weights random_weights(std::mt19937& random, int vocabulary) {
  Weights w;
  w.vocabulary = vocabulary;
  w.embedding = random_values(random, static_cast<std::size_t>(vocabulary) * kInput);
  for (int d = 0; d < 2; ++d) {
    w.W[d] = random_values(random, kGates * kInput);
    w.U[d] = random_values(random, kGates * kHidden);
    w.b[d] = random_values(random, kGates);
  }
  w.head = random_values(random, kClasses * 2 * kHidden);
  return w;
}

// The float32 model of these weights, or null after printing the kernel's error.
inline lstm_lrp_model* create_model(const Weights& w) {
  lstm_lrp_layer_desc layer{};
  layer.hidden_size = kHidden;
  layer.bidirectional = 1;
  layer.cell = {LSTM_LRP_CELL_LSTM, 0, LSTM_LRP_G_TANH, 1.0, LSTM_LRP_H_TANH, 1.0, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}};
  for (int d = 0; d < 2; ++d) {
    layer.W[d] = {w.W[d].data(), static_cast<int64_t>(w.W[d].size())};
    layer.U[d] = {w.U[d].data(), static_cast<int64_t>(w.U[d].size())};
    layer.b[d] = {w.b[d].data(), static_cast<int64_t>(w.b[d].size())};
  }
  lstm_lrp_model_desc desc{};
  desc.dtype = LSTM_LRP_F32;
  desc.input_size = kInput;
  desc.vocab_size = w.vocabulary;
  desc.embedding = {w.embedding.data(), static_cast<int64_t>(w.embedding.size())};
  desc.num_layers = 1;
  desc.layers = &layer;
  desc.outputs = kClasses;
  desc.head_weight = {w.head.data(), static_cast<int64_t>(w.head.size())};
  desc.readout = LSTM_LRP_READOUT_LAST;
  lstm_lrp_model* model = nullptr;
  if (lstm_lrp_model_create(&desc, &model) == LSTM_LRP_OK) return model;
  std::fprintf(stderr, "%s\n", lstm_lrp_last_error());
  return nullptr;
}

// LRP-all with ε = eps for the maps and every product.
inline lstm_lrp_explain_options lrp_all(double eps) {
  lstm_lrp_explain_options options{};
  options.method = LSTM_LRP_METHOD_LRP;
  options.eps = eps;
  for (double& product_eps : options.product_eps) product_eps = eps;
  return options;
}

}  // namespace sst_shape
