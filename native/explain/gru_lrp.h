// LRP through one direction of a GRU layer (docs/METHODS.md § LRP): the LSTM's principles
// applied to h = (1 - u)⊙n + u⊙h', its reset product and its gate maps.
#pragma once

#include <cstddef>

#include "../common/aligned_vector.h"
#include "../forward/trace.h"
#include "../model/model.h"
#include "../simd/gemv.h"
#include "settings.h"

namespace lstm_lrp {

// What one direction's pass adds to the conservation report.
struct GruRelevanceAccounts {
  double absorbed = 0;
  double initial_state = 0;
};

// The first of a GRU direction's 3H block-major rows (r, u, n) of W and U that can meet a
// nonzero message: the candidate block's when neither gate receives relevance (rule 'all' for
// both products), whose messages are then zeros that the products leave out. A product's
// accumulators start at +0, and a zero message times a finite weight adds ±0, which leaves
// them +0: leaving out leading zero rows changes no bit.
template <typename Real>
std::size_t gru_first_relevant_row(const ExplainSettings<Real>& settings, std::size_t H) {
  const bool gates_receive = settings.gate_receives[LSTM_LRP_PRODUCT_UPDATE] || settings.gate_receives[LSTM_LRP_PRODUCT_RESET];
  return gates_receive ? 0 : 2 * H;
}

// One sequence's buffers for a GRU direction's pass, kept in its workspace and reused.
template <typename Real>
struct GruRelevanceBuffers {
  AlignedVector<Real> block;               // [3H] relevance of the r, u, n pre-activations
  AlignedVector<Real> step_messages;       // [T, 3H] each processing step's messages to its inputs
  AlignedVector<Real> step_spread;         // [T] each step's bias share per input
  AlignedVector<Real> step_input_product;  // [T, I] Wᵀ m of each step
  AlignedVector<Real> scratch;             // [2H] epsilon_messages' per-output terms (candidate and q maps)
  AlignedVector<Real> gate_scratch;        // [4H] the same for the 2H gate outputs
  AlignedVector<Real> reset_relevance;     // [H] relevance of q (reset after U_n)
  AlignedVector<Real> reset_messages;      // [H] the q map's messages
  AlignedVector<Real> reset_product;       // [H] U_nᵀ of the q messages or of m_n
  AlignedVector<Real> recurrent_product;   // [H] the gate maps' Uᵀ m
  AlignedVector<Real> recurrent;           // [H] relevance of h_s from step s+1
  AlignedVector<Real> next_recurrent;      // [H] relevance of h_{s-1} being gathered
};

// One sequence's pass through a GRU direction, cut where its products are so that
// explain_lrp_group can gather the products of a group's sequences: per processing step,
// step adds a row over U_n's block, reset_step one over the r and u blocks of U, and
// finish_step completes the relevance of h_{s-1}; after the first step, end_direction adds
// every step's row over W and finish_input adds what it gives x. Each product's rows must
// have been multiplied before the next call.
template <typename Real>
class GruDirectionRelevance {
 public:
  GruDirectionRelevance(const ExplainSettings<Real>& settings, GruRelevanceBuffers<Real>& buffers) : settings_(settings), buf_(buffers) {}

  // Starts a direction of `layer` over a sequence of `steps` steps.
  void start_direction(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t steps);
  // Processing step s, with the relevance from above at h_s, up to the candidate block's
  // product: adds U_nᵀ of the q messages (reset after U_n) or of m_n to `products`.
  void step(std::size_t s, const Real* from_above, ProductRows<Real>& products);
  // The reset product(s) and the gate maps' epsilon rule: adds their Uᵀ m (U's first 2H rows)
  // to `products`, unless the gates receive nothing (gru_first_relevant_row): then their
  // messages are zero and neither they nor the product are computed.
  void reset_step(ProductRows<Real>& products);
  // The relevance of h_{s-1}: h_{s-1} ⊙ (Uᵀ m) + the bias share added to what the step gave it.
  void finish_step();
  // After the first processing step: what reached h_0, and every step's Wᵀ m added to
  // `products`, from W's row gru_first_relevant_row on.
  void end_direction(ProductRows<Real>& products);
  // R_x = x ⊙ (Wᵀ m) + the bias share, added to x_relevance; x and x_relevance [T, I] by time.
  void finish_input(const Real* x, Real* x_relevance) const;
  const GruRelevanceAccounts& accounts() const { return accounts_; }

 private:
  const ExplainSettings<Real>& settings_;
  GruRelevanceBuffers<Real>& buf_;
  const Layer<Real>* layer_ = nullptr;
  const DirectionWeights<Real>* w_ = nullptr;
  const DirectionTrace<Real>* trace_ = nullptr;
  int direction_ = 0;
  std::size_t steps_ = 0;
  std::size_t H_ = 0;
  std::size_t I_ = 0;
  std::size_t first_row_ = 0;  // gru_first_relevant_row
  GruRelevanceAccounts accounts_;
  // The current step's, carried between its pieces.
  std::size_t s_ = 0;
  double absorbed_ = 0;
  double spread_x_ = 0;
  double spread_h_ = 0;
  double product_spread_ = 0;  // reset before U_n: the candidate map's bias share per product m_j
};

}  // namespace lstm_lrp
