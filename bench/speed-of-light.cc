// The speed of light of one LRP-all explanation on this machine: the shipped SST model's
// shape (E = H = 60, one bidirectional LSTM layer, C = 5, 8 217 words, input projection
// table) done with the arithmetic alone, fixed sizes, AVX-512, float32, groups of sequences
// in lockstep of the kernel's size (model/batch.h), and nothing the kernel adds around it: no
// conservation report, no float64 sums, no finite checks, no rule or model options.
//
// A measuring instrument, not a second implementation of the method: it checks that its
// per-step relevance equals the kernel's (same model, same inputs) before timing, then
// alternates the two, call by call, and prints one JSON object: microseconds an explanation
// for a batch on 1 thread and on all cores, for the batch's forward pass alone on 1 thread
// (the kernel's predict), and for one sequence at a time, with the kernel / speed-of-light
// ratio of each. The gap is what the kernel's generality and its reports cost, and the
// forward row says how much of it lies in which pass; the speed of light is the floor under
// the targets of `npm run bench`.
// Run: npm run bench:speed-of-light (the SST test sentences, as bench/sst-token-file.ts writes them).
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../native/simd/avx512/target_begin.h"
#include "../native/common/aligned_vector.h"
#include "../native/model/batch.h"
#include "../native/simd/activations_vec.h"
#include "../native/simd/avx512/traits_avx512.h"
#include "../native/simd/gemv.h"
#include "lstm_lrp.h"
#include "sst-shape-model.h"

namespace {

constexpr int I = sst_shape::kInput, H = sst_shape::kHidden, G = sst_shape::kGates, C = sst_shape::kClasses;
constexpr int V = 8217, P = 64;  // the shipped vocabulary; P: the padded width of rows of H or I
constexpr int kGroup = static_cast<int>(lstm_lrp::kGroupSequences), kMaxSteps = 64;
constexpr float kEps = 0.001f;

// Buffers on cache lines (whole 512-bit loads), alive until the program ends.
float* aligned_floats(std::size_t count) {
  static std::vector<lstm_lrp::AlignedVector<float>> buffers;
  buffers.emplace_back(count);
  return buffers.back().data();
}

inline __m512 sigmoid16(__m512 x) { return lstm_lrp::sigmoid_f32<lstm_lrp::Avx512F32>(x); }
inline __m512 tanh16(__m512 x) { return lstm_lrp::tanh_f32<lstm_lrp::Avx512F32>(x); }
inline __m512 stable(__m512 d) {  // d + eps·sign(d)
  const __mmask16 negative = _mm512_cmp_ps_mask(d, _mm512_setzero_ps(), _CMP_LT_OQ);
  return _mm512_add_ps(d, _mm512_mask_blend_ps(negative, _mm512_set1_ps(kEps), _mm512_set1_ps(-kEps)));
}

struct Weights {
  float* table[2];    // [V][G]: b + W e
  float* Ut[2];       // [H][G]: U transposed, for U y
  const float* U[2];  // [G][P]: its first H rows, z's block, for U_zᵀ m; rows padded to whole cache lines
  const float* W[2];  // [G][P]: likewise for W_zᵀ m
  float* embedding;   // [V][P]
  float head[C][2 * H];
};

struct DirectionScratch {
  float* act;   // [steps][G]: pre-activations, then z, i, f in place
  float* prez;  // [steps][P]: z's pre-activations
  float* c;     // [steps + 1][P], row 0 = c_0
  float* y;     // [steps + 1][P]
  float* m;     // [steps][P]
  float* ry;    // [steps + 1][P]
  float* rc;    // [P]
};

struct Sequence {
  int steps;
  const int32_t* tokens;
  float* per_step;
  DirectionScratch dir[2];
};

using Products = lstm_lrp::ProductRows<float>;

void forward_direction(const Weights& w, int d, Sequence* seqs, int count, Products& products) {
  const float* table = w.table[d];
  const int longest = seqs[0].steps;
  int running = count;
  for (int s = 0; s < longest; ++s) {
    while (seqs[running - 1].steps <= s) --running;
    products.clear();
    for (int n = 0; n < running; ++n) {
      Sequence& q = seqs[n];
      const int t = d == 0 ? s : q.steps - 1 - s;
      float* pre = q.dir[d].act + s * G;  // pre-activations computed in place of activations
      const float* row = table + static_cast<std::size_t>(q.tokens[t]) * G;
      // The recurrent product starts from the row (y_0 = 0: step 0's pre-activations are the row).
      if (s == 0)
        std::memcpy(pre, row, G * sizeof(float));
      else
        products.add_from(q.dir[d].y + s * P, row, pre);
    }
    if (s > 0) products.multiply(w.Ut[d], H, G);
    for (int n = 0; n < running; ++n) {
      DirectionScratch& x = seqs[n].dir[d];
      float* a = x.act + s * G;
      const float* cp = x.c + s * P;
      float* c = x.c + (s + 1) * P;
      float* y = x.y + (s + 1) * P;
      for (int v = 0; v < 4; ++v) {  // H = 60 lanes: the last vector's 4 lanes past H are masked off
        const __mmask16 k = v == 3 ? 0x0fff : 0xffff;
        const __m512 zp = _mm512_maskz_loadu_ps(k, a + 16 * v);
        _mm512_store_ps(x.prez + s * P + 16 * v, zp);
        const __m512 z = tanh16(zp);
        const __m512 i = sigmoid16(_mm512_maskz_loadu_ps(k, a + H + 16 * v));
        const __m512 f = sigmoid16(_mm512_maskz_loadu_ps(k, a + 2 * H + 16 * v));
        const __m512 o = sigmoid16(_mm512_maskz_loadu_ps(k, a + 3 * H + 16 * v));
        _mm512_mask_storeu_ps(a + 16 * v, k, z);
        _mm512_mask_storeu_ps(a + H + 16 * v, k, i);
        _mm512_mask_storeu_ps(a + 2 * H + 16 * v, k, f);
        const __m512 cv = _mm512_maskz_mov_ps(k, _mm512_fmadd_ps(i, z, _mm512_mul_ps(f, _mm512_load_ps(cp + 16 * v))));
        _mm512_store_ps(c + 16 * v, cv);
        _mm512_store_ps(y + 16 * v, _mm512_maskz_mov_ps(k, _mm512_mul_ps(o, tanh16(cv))));
      }
    }
  }
}

void backward_direction(const Weights& w, int d, Sequence* seqs, int count, Products& products) {
  const int longest = seqs[0].steps;
  int running = 0;
  for (int s = longest - 1; s >= 0; --s) {
    while (running < count && seqs[running].steps > s) ++running;
    products.clear();
    for (int n = 0; n < running; ++n) {
      DirectionScratch& x = seqs[n].dir[d];
      if (s == seqs[n].steps - 1) std::memset(x.rc, 0, P * sizeof(float));
      const float* a = x.act + s * G;
      for (int v = 0; v < 4; ++v) {
        const __mmask16 k = v == 3 ? 0x0fff : 0xffff;
        const __m512 rc = _mm512_add_ps(_mm512_load_ps(x.rc + 16 * v), _mm512_load_ps(x.ry + (s + 1) * P + 16 * v));
        const __m512 q = _mm512_div_ps(rc, stable(_mm512_load_ps(x.c + (s + 1) * P + 16 * v)));
        const __m512 z = _mm512_maskz_loadu_ps(k, a + 16 * v);
        const __m512 i = _mm512_maskz_loadu_ps(k, a + H + 16 * v);
        const __m512 f = _mm512_maskz_loadu_ps(k, a + 2 * H + 16 * v);
        const __m512 rz = _mm512_mul_ps(_mm512_mul_ps(i, z), q);
        _mm512_store_ps(x.rc + 16 * v, _mm512_mul_ps(_mm512_mul_ps(f, _mm512_load_ps(x.c + s * P + 16 * v)), q));
        _mm512_store_ps(x.m + s * P + 16 * v, _mm512_maskz_div_ps(k, rz, stable(_mm512_load_ps(x.prez + s * P + 16 * v))));
        _mm512_store_ps(x.ry + s * P + 16 * v, _mm512_setzero_ps());
      }
      products.add(x.m + s * P, x.ry + s * P);
    }
    if (s > 0) {
      products.multiply(w.U[d], H, H, P);
      for (int n = 0; n < running; ++n) {
        DirectionScratch& x = seqs[n].dir[d];
        for (int v = 0; v < 4; ++v)
          _mm512_store_ps(x.ry + s * P + 16 * v,
                          _mm512_mul_ps(_mm512_load_ps(x.ry + s * P + 16 * v), _mm512_load_ps(x.y + s * P + 16 * v)));
      }
    }
  }
}

// Input relevance: x ⊙ Σ_d W_zᵀ m, summed over features into per_step.
void input_relevance(const Weights& w, Sequence* seqs, int count, float* rx, Products& products) {
  for (int n = 0; n < count; ++n) {
    Sequence& q = seqs[n];
    std::memset(rx, 0, static_cast<std::size_t>(q.steps) * P * sizeof(float));
    for (int d = 0; d < 2; ++d) {
      products.clear();
      for (int s = 0; s < q.steps; ++s) products.add(q.dir[d].m + s * P, rx + (d == 0 ? s : q.steps - 1 - s) * P);
      products.multiply(w.W[d], H, I, P);
    }
    for (int t = 0; t < q.steps; ++t) {
      const float* e = w.embedding + static_cast<std::size_t>(q.tokens[t]) * P;
      __m512 sum = _mm512_setzero_ps();
      for (int v = 0; v < 4; ++v) sum = _mm512_fmadd_ps(_mm512_load_ps(rx + t * P + 16 * v), _mm512_load_ps(e + 16 * v), sum);
      q.per_step[t] = _mm512_reduce_add_ps(sum);
    }
  }
}

void explain_group(const Weights& w, Sequence* seqs, int count, float* rx, Products& products) {
  for (int d = 0; d < 2; ++d) forward_direction(w, d, seqs, count, products);
  for (int n = 0; n < count; ++n) {
    Sequence& q = seqs[n];
    const float* yf = q.dir[0].y + q.steps * P;
    const float* yb = q.dir[1].y + q.steps * P;
    float scores[C];
    for (int k = 0; k < C; ++k) {
      float s = 0;
      for (int j = 0; j < H; ++j) s += w.head[k][j] * yf[j] + w.head[k][H + j] * yb[j];
      scores[k] = s;
    }
    const int target = static_cast<int>(std::max_element(scores, scores + C) - scores);
    const float score = scores[target];
    const float ratio = score / (score + (score < 0 ? -kEps : kEps));
    for (int d = 0; d < 2; ++d) {
      float* ry = q.dir[d].ry + q.steps * P;
      const float* y = q.dir[d].y + q.steps * P;
      for (int j = 0; j < P; ++j) ry[j] = j < H ? y[j] * w.head[target][d * H + j] * ratio : 0.f;
    }
  }
  for (int d = 0; d < 2; ++d) backward_direction(w, d, seqs, count, products);
  input_relevance(w, seqs, count, rx, products);
}

#include "../native/simd/target_end.h"

struct Inputs {
  std::vector<int32_t> lengths, offsets, tokens;
};

Inputs read_token_file(const char* path) {
  Inputs inputs;
  std::ifstream file(path);
  if (!file) throw std::runtime_error(std::string("cannot read ") + path);
  std::string line;
  inputs.offsets.push_back(0);
  while (std::getline(file, line)) {
    std::istringstream ids(line);
    int32_t id = 0;
    int32_t count = 0;
    while (ids >> id) {
      if (id < 0 || id >= V) throw std::runtime_error("token id outside the vocabulary: " + std::to_string(id));
      inputs.tokens.push_back(id);
      ++count;
    }
    if (count < 1 || count > kMaxSteps) throw std::runtime_error("a sentence of " + std::to_string(count) + " tokens");
    inputs.lengths.push_back(count);
    inputs.offsets.push_back(inputs.offsets.back() + count);
  }
  if (inputs.lengths.empty()) throw std::runtime_error(std::string("no sentences in ") + path);
  return inputs;
}

// The minimal explainer's state for one thread: scratch for one group.
struct Worker {
  std::vector<DirectionScratch> scratch;
  float* rx;
  Products products;
  Worker() : scratch(kGroup * 2), rx(aligned_floats(kMaxSteps * P)) {
    for (DirectionScratch& x : scratch) {
      x.act = aligned_floats(kMaxSteps * G);
      x.prez = aligned_floats(kMaxSteps * P);
      x.c = aligned_floats((kMaxSteps + 1) * P);
      x.y = aligned_floats((kMaxSteps + 1) * P);
      x.m = aligned_floats(kMaxSteps * P);
      x.ry = aligned_floats((kMaxSteps + 1) * P);
      x.rc = aligned_floats(P);
      std::memset(x.c, 0, P * sizeof(float));  // c_0 = y_0 = 0, never written
      std::memset(x.y, 0, P * sizeof(float));
    }
  }
  void explain(const Weights& w, Sequence* seqs, int count) {
    take_scratch(seqs, count);
    explain_group(w, seqs, count, rx, products);
  }
  void forward(const Weights& w, Sequence* seqs, int count) {
    take_scratch(seqs, count);
    for (int d = 0; d < 2; ++d) forward_direction(w, d, seqs, count, products);
  }
  void take_scratch(Sequence* seqs, int count) {
    for (int k = 0; k < count; ++k) {
      seqs[k].dir[0] = scratch[2 * k];
      seqs[k].dir[1] = scratch[2 * k + 1];
    }
  }
};

// The [cols][rows] transpose of a [rows][cols] matrix, on cache lines.
// matrix's rows P values apart, as the kernel keeps W and U: a row of 60 floats 240 bytes from the
// last splits most vector loads across two cache lines.
float* padded(const std::vector<float>& matrix, int rows, int cols) {
  float* result = aligned_floats(static_cast<std::size_t>(rows) * P);
  for (int r = 0; r < rows; ++r) std::copy(&matrix[r * cols], &matrix[r * cols] + cols, &result[r * P]);
  return result;
}

float* transposed(const std::vector<float>& matrix, int rows, int cols) {
  float* result = aligned_floats(static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) result[c * rows + r] = matrix[r * cols + c];
  return result;
}

double microseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (!__builtin_cpu_supports("avx512f")) {
    std::fprintf(stderr, "speed-of-light: measures the AVX-512 path, and this CPU has no AVX-512\n");
    return 2;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: speed-of-light <token file: one sentence of ids a line>\n");
    return 2;
  }
  Inputs inputs;
  try {
    inputs = read_token_file(argv[1]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "speed-of-light: %s\n", error.what());
    return 2;
  }
  const int count = static_cast<int>(inputs.lengths.size());
  const int64_t steps = inputs.offsets.back();

  std::mt19937 random(1);
  const sst_shape::Weights weights = sst_shape::random_weights(random, V);
  const std::vector<float>& embedding = weights.embedding;

  Weights w{};
  w.embedding = aligned_floats(static_cast<std::size_t>(V) * P);
  std::memset(w.embedding, 0, static_cast<std::size_t>(V) * P * sizeof(float));
  for (int v = 0; v < V; ++v)
    for (int j = 0; j < I; ++j) w.embedding[v * P + j] = embedding[v * I + j];
  for (int d = 0; d < 2; ++d) {
    // Row v = b + W e_v, as the kernel builds its table: the bias, then one product over Wᵀ.
    w.table[d] = aligned_floats(static_cast<std::size_t>(V) * G);
    Products rows;
    for (int v = 0; v < V; ++v) {
      float* row = w.table[d] + static_cast<std::size_t>(v) * G;
      std::copy(weights.b[d].begin(), weights.b[d].end(), row);
      rows.add(&embedding[static_cast<std::size_t>(v) * I], row);
    }
    rows.multiply(transposed(weights.W[d], G, I), I, G);
    w.Ut[d] = transposed(weights.U[d], G, H);
    w.U[d] = padded(weights.U[d], G, H);
    w.W[d] = padded(weights.W[d], G, I);
  }
  for (int k = 0; k < C; ++k)
    for (int j = 0; j < 2 * H; ++j) w.head[k][j] = weights.head[k * 2 * H + j];

  // Batches run in groups after sorting by length, longest first; single sequences in input order.
  std::vector<float> per_step(steps);
  std::vector<int> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return inputs.lengths[a] > inputs.lengths[b]; });
  std::vector<Sequence> sorted(count), alone(count);
  for (int k = 0; k < count; ++k) {
    for (auto [list, n] : {std::pair<Sequence*, int>{sorted.data(), order[k]}, {alone.data(), k}}) {
      list[k].steps = inputs.lengths[n];
      list[k].tokens = &inputs.tokens[inputs.offsets[n]];
      list[k].per_step = &per_step[inputs.offsets[n]];
    }
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Worker> workers(cores);
  // The batch's groups through `pass` (Worker::explain, or Worker::forward alone), spread over threads.
  using Pass = void (Worker::*)(const Weights&, Sequence*, int);
  const auto minimal_batch = [&](int threads, Pass pass) {
    const int groups = (count + kGroup - 1) / kGroup;
    const auto share = [&](int thread) {
      for (int g = thread; g < groups; g += threads) (workers[thread].*pass)(w, &sorted[g * kGroup], std::min(kGroup, count - g * kGroup));
    };
    std::vector<std::thread> helpers;
    for (int thread = 1; thread < threads; ++thread) helpers.emplace_back(share, thread);
    share(0);
    for (std::thread& helper : helpers) helper.join();
  };
  const auto minimal_alone = [&] {
    for (int n = 0; n < count; ++n) workers[0].explain(w, &alone[n], 1);
  };

  // The kernel on the same model and inputs.
  lstm_lrp_model* model = sst_shape::create_model(weights);
  if (model == nullptr) return 1;
  const lstm_lrp_explain_options lrp_all = sst_shape::lrp_all(kEps);
  std::vector<float> scores(count * C), relevance(steps * I), kernel_per_step(steps);
  std::vector<double> conservation(count * LSTM_LRP_CONSERVATION_SIZE);
  std::vector<int32_t> targets(count);
  const auto batch_of = [&](int first, int sequences) -> lstm_lrp_batch {
    const int64_t from = inputs.offsets[first];
    return {sequences, &inputs.lengths[first], {nullptr, 0}, {&inputs.tokens[from], inputs.offsets[first + sequences] - from}};
  };
  const auto succeed = [](lstm_lrp_status status) {
    if (status == LSTM_LRP_OK) return;
    std::fprintf(stderr, "speed-of-light: %s\n", lstm_lrp_last_error());
    std::exit(1);
  };
  const auto kernel_explain = [&](int first, int sequences) {
    const int64_t from = inputs.offsets[first];
    const int64_t to = inputs.offsets[first + sequences];
    const lstm_lrp_batch batch = batch_of(first, sequences);
    const lstm_lrp_explain_outputs outputs = {{&scores[first * C], sequences * C},
                                              {&relevance[from * I], (to - from) * I},
                                              {&kernel_per_step[from], to - from},
                                              {&conservation[first * LSTM_LRP_CONSERVATION_SIZE], sequences * LSTM_LRP_CONSERVATION_SIZE},
                                              {&targets[first], sequences}};
    succeed(lstm_lrp_explain(model, &lrp_all, &batch, {nullptr, 0}, &outputs));
  };
  const auto kernel_batch = [&](int threads) {
    lstm_lrp_model_set_threads(model, threads);
    kernel_explain(0, count);
  };
  const auto kernel_forward = [&] {
    lstm_lrp_model_set_threads(model, 1);
    const lstm_lrp_batch batch = batch_of(0, count);
    succeed(lstm_lrp_predict(model, &batch, {scores.data(), static_cast<int64_t>(count) * C}, {nullptr, 0}));
  };
  const auto kernel_alone = [&] {
    lstm_lrp_model_set_threads(model, 1);
    for (int n = 0; n < count; ++n) kernel_explain(n, 1);
  };

  // The same explanations: per-step relevance within float32 rounding of the kernel's.
  kernel_batch(1);
  minimal_batch(1, &Worker::explain);
  double worst = 0;
  double largest = 0;
  for (int64_t k = 0; k < steps; ++k) {
    worst = std::max(worst, std::abs(static_cast<double>(per_step[k]) - kernel_per_step[k]));
    largest = std::max(largest, std::abs(static_cast<double>(kernel_per_step[k])));
  }
  if (!(worst <= 1e-4 * largest)) {
    std::fprintf(stderr, "speed-of-light: per-step relevance differs from the kernel's by %g (largest %g)\n", worst, largest);
    return 1;
  }

  // Seven rounds, alternating: the medians, per explanation.
  struct Case {
    const char* name;
    std::function<void()> minimal, kernel;
    std::vector<double> minimal_us, kernel_us;
  };
  std::vector<Case> cases = {{"batch_1_thread", [&] { minimal_batch(1, &Worker::explain); }, [&] { kernel_batch(1); }, {}, {}},
                             {"batch_all_cores", [&] { minimal_batch(cores, &Worker::explain); }, [&] { kernel_batch(cores); }, {}, {}},
                             {"batch_forward_1_thread", [&] { minimal_batch(1, &Worker::forward); }, kernel_forward, {}, {}},
                             {"one_sequence", minimal_alone, kernel_alone, {}, {}}};
  for (int round = 0; round < 7; ++round)
    for (Case& c : cases) {
      auto start = std::chrono::steady_clock::now();
      c.minimal();
      c.minimal_us.push_back(microseconds_since(start) / count);
      start = std::chrono::steady_clock::now();
      c.kernel();
      c.kernel_us.push_back(microseconds_since(start) / count);
    }
  std::printf("{\"sentences\": %d, \"mean_steps\": %.2f, \"cores\": %d, \"largest_difference\": %.3g", count,
              static_cast<double>(steps) / count, cores, worst);
  for (const Case& c : cases) {
    const double minimal = median(c.minimal_us);
    const double kernel = median(c.kernel_us);
    std::printf(", \"%s\": {\"speed_of_light_us\": %.2f, \"kernel_us\": %.2f, \"kernel_over_speed_of_light\": %.2f}", c.name, minimal,
                kernel, kernel / minimal);
  }
  std::printf("}\n");
  lstm_lrp_model_destroy(model);
  return 0;
}
