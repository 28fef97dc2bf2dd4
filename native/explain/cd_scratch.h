// CD's buffers for a group of decompositions propagated together (explain/cd.cc), reused
// from sequence to sequence.
#pragma once

#include <cstddef>
#include <vector>

namespace lstm_lrp {

template <typename Real>
struct DecompositionScratch {
  std::vector<std::vector<Real>> relevant_output;  // per layer [K, T, D_l]: β of each decomposition's output
  std::vector<Real> beta_pre;                      // [K, 4H] β of the pre-activations at one step
  std::vector<Real> beta_cell;                     // [K, H] β of c, carried from step to step
  std::vector<Real> with_beta;                     // [K, 3H] z, i, f of b + β (by block: K H values of z, then K 2H of i, f)
  std::vector<Real> without_beta;                  // [K, 3H] z, i, f of a − β, laid out the same
  std::vector<Real> output_of_beta;                // [K, H] H(β_c)
  std::vector<Real> output_without_beta;           // [K, H] H(c − β_c)
  std::vector<Real> bias_activation;               // [3H] z, i, f of the bias alone
  std::vector<std::size_t> active;                 // the decompositions a step propagates
  std::vector<Real> relevant_top;                  // [T, D] one decomposition's β of the top layer
  std::vector<Real> relevant_head_input;           // [rows, D]
  std::vector<Real> relevant_scores;               // [rows, C] W_head β, without the head bias
};

}  // namespace lstm_lrp
