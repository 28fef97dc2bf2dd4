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
  AlignedVector<Real> beta_pre;                      // [K, 4H] β of the pre-activations at one step (GRU [K, 3H]: r, u, n)
  AlignedVector<Real> beta_cell;                     // [K, H] β of c, carried from step to step
  AlignedVector<Real> with_beta;                     // [K, 3H] z, i, f of b + β (by block: K H values of z, then K 2H of i, f;
                                                     // GRU: K 2H of r, u, then K H of n)
  AlignedVector<Real> without_beta;                  // [K, 3H] z, i, f of a − β, laid out the same
  AlignedVector<Real> output_of_beta;                // [K, H] H(β_c)
  AlignedVector<Real> output_without_beta;           // [K, H] H(c − β_c)
  AlignedVector<Real> bias_activation;               // [3H] z, i, f of the bias alone (GRU: σ(b_r), σ(b_u), tanh(bias part of a^n))
  AlignedVector<Real> bias_candidate;                // GRU [H]: the bias part of a^n
  AlignedVector<Real> beta_activation;               // GRU [K, 2H]: β of r and u
  AlignedVector<Real> beta_reset;                    // GRU [K, H]: β of q = U_n h' + b_hn (reset after), else of r ⊙ h'
  AlignedVector<Real> zero_state;                    // GRU [H]: β of h' at a decomposition's first step
  std::vector<const Real*> beta_state;               // GRU: β of h' of each active decomposition
  std::vector<std::size_t> active;                   // the decompositions a step propagates
  AlignedVector<Real> relevant_top;                  // [T, D] one decomposition's β of the top layer
  AlignedVector<Real> relevant_head_input;           // [rows, D]
  AlignedVector<Real> relevant_scores;               // [rows, C] W_head β, without the head bias
};

}  // namespace lstm_lrp
