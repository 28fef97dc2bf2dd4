// The kernel alone, through the C ABI, on the SST-sized model (E = H = 60, bidirectional,
// C = 5, random weights): one sequence of 19 steps at a time (forward, LRP-all, and their
// ratio) and a batch of 2048 sequences of 5–33 steps (mean ≈ 19) on 1 and on all threads.
// Set beside `npm run bench`, the difference is what the JavaScript facade and the binding
// add. Run: npm run bench:kernel (prints one JSON object).
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "lstm_lrp.h"

namespace {

constexpr int kInput = 60, kHidden = 60, kVocabulary = 1000, kClasses = 5, kSteps = 19, kBatch = 2048;

std::vector<float> random_values(std::mt19937& random, std::size_t count) {
  std::uniform_real_distribution<float> value(-0.15f, 0.15f);
  std::vector<float> values(count);
  for (float& v : values) v = value(random);
  return values;
}

template <typename Call>
double microseconds_per_call(Call call, int repeats) {
  for (int i = 0; i < repeats / 10; ++i) call();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) call();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / repeats;
}

// Inputs and outputs of one explain call over `lengths`.
struct Call {
  std::vector<int32_t> lengths, tokens, targets;
  std::vector<float> scores, relevance, per_step;
  std::vector<double> conservation;
  lstm_lrp_batch batch{};
  lstm_lrp_explain_outputs outputs{};

  explicit Call(std::vector<int32_t> sequence_lengths, std::mt19937& random) : lengths(std::move(sequence_lengths)) {
    for (int32_t length : lengths)
      for (int32_t t = 0; t < length; ++t) tokens.push_back(static_cast<int32_t>(random() % kVocabulary));
    const auto count = static_cast<int64_t>(lengths.size());
    const auto steps = static_cast<int64_t>(tokens.size());
    scores.resize(count * kClasses);
    relevance.resize(steps * kInput);
    per_step.resize(steps);
    conservation.resize(count * LSTM_LRP_CONSERVATION_SIZE);
    targets.resize(count);
    batch = {static_cast<int32_t>(count), lengths.data(), {nullptr, 0}, {tokens.data(), steps}};
    outputs = {{scores.data(), count * kClasses},
               {relevance.data(), steps * kInput},
               {per_step.data(), steps},
               {conservation.data(), count * LSTM_LRP_CONSERVATION_SIZE},
               {targets.data(), count}};
  }
};

}  // namespace

int main() {
  std::mt19937 random(1);
  auto embedding = random_values(random, kVocabulary * kInput);
  std::vector<std::vector<float>> W, U, b;
  for (int d = 0; d < 2; ++d) {
    W.push_back(random_values(random, 4 * kHidden * kInput));
    U.push_back(random_values(random, 4 * kHidden * kHidden));
    b.push_back(random_values(random, 4 * kHidden));
  }
  auto head = random_values(random, kClasses * 2 * kHidden);
  lstm_lrp_layer_desc layer{};
  layer.hidden_size = kHidden;
  layer.bidirectional = 1;
  layer.cell = {LSTM_LRP_CELL_LSTM, 0, LSTM_LRP_G_TANH, 1.0, LSTM_LRP_H_TANH, 1.0, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}};
  for (int d = 0; d < 2; ++d) {
    layer.W[d] = {W[d].data(), static_cast<int64_t>(W[d].size())};
    layer.U[d] = {U[d].data(), static_cast<int64_t>(U[d].size())};
    layer.b[d] = {b[d].data(), static_cast<int64_t>(b[d].size())};
  }
  lstm_lrp_model_desc desc{};
  desc.dtype = LSTM_LRP_F32;
  desc.input_size = kInput;
  desc.vocab_size = kVocabulary;
  desc.embedding = {embedding.data(), static_cast<int64_t>(embedding.size())};
  desc.num_layers = 1;
  desc.layers = &layer;
  desc.outputs = kClasses;
  desc.head_weight = {head.data(), static_cast<int64_t>(head.size())};
  desc.readout = LSTM_LRP_READOUT_LAST;
  lstm_lrp_model* model = nullptr;
  if (lstm_lrp_model_create(&desc, &model) != LSTM_LRP_OK) {
    std::fprintf(stderr, "%s\n", lstm_lrp_last_error());
    return 1;
  }

  lstm_lrp_explain_options lrp_all{};
  lrp_all.method = LSTM_LRP_METHOD_LRP;
  lrp_all.eps = 0.001;
  for (double& eps : lrp_all.product_eps) eps = 0.001;

  Call one({kSteps}, random);
  const double forward = microseconds_per_call([&] { lstm_lrp_predict(model, &one.batch, one.outputs.scores, {nullptr, 0}); }, 5000);
  const double explain = microseconds_per_call([&] { lstm_lrp_explain(model, &lrp_all, &one.batch, {nullptr, 0}, &one.outputs); }, 5000);

  std::vector<int32_t> lengths(kBatch);
  for (int32_t& length : lengths) length = static_cast<int32_t>(5 + random() % 29);
  Call many(lengths, random);
  const int all_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<double> per_second;
  for (int threads : {1, all_threads}) {
    lstm_lrp_model_set_threads(model, threads);
    const double call = microseconds_per_call([&] { lstm_lrp_explain(model, &lrp_all, &many.batch, {nullptr, 0}, &many.outputs); }, 10);
    per_second.push_back(kBatch / (call / 1e6));
  }
  std::printf(
      "{\"isa\": \"%s\", \"steps\": %d, \"forwardMicroseconds\": %.1f, \"explainMicroseconds\": %.1f, \"explainPerForward\": %.2f, "
      "\"batchSize\": %d, \"batchMeanSteps\": %.1f, \"batchExplanationsPerSecond\": {\"1\": %.0f, \"%d\": %.0f}}\n",
      lstm_lrp_isa(), kSteps, forward, explain, explain / forward, kBatch, static_cast<double>(many.tokens.size()) / kBatch, per_second[0],
      all_threads, per_second[1]);
  lstm_lrp_model_destroy(model);
  return 0;
}
