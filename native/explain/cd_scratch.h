// CD's buffers for a group of decompositions propagated together (explain/cd.cc), reused
// from sequence to sequence.
#pragma once

#include <cstddef>
#include <vector>

#include "../common/aligned_vector.h"

namespace lstm_lrp {

template <typename Real>
struct DecompositionScratch {
  std::vector<AlignedVector<Real>> relevant_output;  // per layer [K, T, D_l]: β of each decomposition's output
  AlignedVector<Real> beta_pre;                      // [K, 4H] β of the pre-activations at one step
  AlignedVector<Real> beta_cell;                     // [K, H] β of c, carried from step to step
  AlignedVector<Real> with_beta;                     // [K, 3H] z, i, f of b + β (by block: K H values of z, then K 2H of i, f)
  AlignedVector<Real> without_beta;                  // [K, 3H] z, i, f of a − β, laid out the same
  AlignedVector<Real> output_of_beta;                // [K, H] H(β_c)
  AlignedVector<Real> output_without_beta;           // [K, H] H(c − β_c)
  AlignedVector<Real> bias_activation;               // [3H] z, i, f of the bias alone
  std::vector<std::size_t> active;                   // the decompositions a step propagates
  AlignedVector<Real> relevant_top;                  // [T, D] one decomposition's β of the top layer
  AlignedVector<Real> relevant_head_input;           // [rows, D]
  AlignedVector<Real> relevant_scores;               // [rows, C] W_head β, without the head bias
};

}  // namespace lstm_lrp
