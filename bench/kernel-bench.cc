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
#include "sst-shape-model.h"

namespace {

using sst_shape::kClasses;
using sst_shape::kInput;
constexpr int kVocabulary = 1000, kSteps = 19, kBatch = 2048;

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
  const sst_shape::Weights weights = sst_shape::random_weights(random, kVocabulary);
  lstm_lrp_model* model = sst_shape::create_model(weights);
  if (model == nullptr) return 1;
  const lstm_lrp_explain_options lrp_all = sst_shape::lrp_all(0.001);

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
