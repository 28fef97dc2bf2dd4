// The element-wise LRP rules one value at a time: the reference of the vector kernels
// (simd/lrp_rules_vec.h) and the float64 path.
#pragma once

#include <cstddef>

#include "../../common/interleaved_sum.h"
#include "../kernels.h"
#include "epsilon_message.h"

namespace lstm_lrp {

// One cell of the accumulation c = i⊙z + f⊙c_prev's epsilon rule (two summands, no bias), given
// the cell's relevance r_c: with d = c + eps·sign(c), the message m = r_c / d, or 0 where that is
// no usable message (then all of r_c is absorbed); spread = bias_factor·eps·sign(c) / 2;
//   input_product = (i·z + spread)·m, forget_product = (f·c_prev + spread)·m,
//   absorbed = (1 − bias_factor)·eps·sign(c)·m.
// The kernels and the general LRP path (explain/lrp.cc) both split cells with it.
template <typename Real>
struct AccumulationShares {
  Real input_product;
  Real forget_product;
  Real absorbed;
  bool passed;
};

template <typename Real>
inline AccumulationShares<Real> split_accumulation(Real r_c, Real cell, Real input_gate, Real cell_input, Real forget_gate, Real cell_prev,
                                                   Real eps, Real bias_factor) {
  const EpsilonMessage<Real> m = epsilon_message(r_c, cell, eps);
  const Real spread = bias_factor * m.stabiliser * Real(0.5);
  return {(input_gate * cell_input + spread) * m.message, (forget_gate * cell_prev + spread) * m.message,
          m.passed ? (Real(1) - bias_factor) * m.stabiliser * m.message : r_c, m.passed};
}

// Per cell: the relevance of y from the next step, output·next_product + next_spread (0 without
// output); r_c = from_above + that + cell_next, split by split_accumulation; the relevance of
// z's pre-activation, the input product's share, gives z's map its epsilon message.
template <typename Real>
void lrp_step_scalar(const LrpStep<Real>& a) {
  InterleavedSum<double> accumulation_absorbed, map_absorbed, map_shares;
  for (std::size_t j = 0; j < a.cells; ++j) {
    Real recurrent = 0;
    if (a.output != nullptr) {
      recurrent = a.output[j] * a.next_product[j] + a.next_spread;
      a.next_product[j] = 0;
    }
    const Real r_c = a.from_above[j] + recurrent + a.cell_next[j];
    const AccumulationShares<Real> shares =
        split_accumulation(r_c, a.cell[j], a.input_gate[j], a.cell_input[j], a.forget_gate[j], a.cell_prev[j], a.eps, a.bias_factor);
    a.cell_next[j] = shares.forget_product;
    const EpsilonMessage<Real> m = epsilon_message(shares.input_product, a.cell_input_pre[j], a.eps);
    a.messages[j] = m.message;
    accumulation_absorbed.add(j, static_cast<double>(shares.absorbed));
    map_absorbed.add(j, static_cast<double>(m.passed ? Real(0) : shares.input_product));
    map_shares.add(j, static_cast<double>((a.cell_input_bias[j] + m.stabiliser) * m.message));
  }
  a.sums[0] = accumulation_absorbed.total();
  a.sums[1] = map_absorbed.total();
  a.sums[2] = map_shares.total();
}

// Per output k: d = z + eps·sign(z) (sign(0) = +1); the message s = R / d, or 0 where d = 0
// or the quotient overflows (then all of R is absorbed); shares = (b + eps·sign(z))·s.
template <typename Real>
void epsilon_messages_scalar(const EpsilonMessages<Real>& m) {
  for (std::size_t k = 0; k < m.count; ++k) {
    const EpsilonMessage<Real> message = epsilon_message(m.relevance[k], m.z[k], m.eps);
    m.messages[k] = message.message;
    m.shares[k] = ((m.bias != nullptr ? m.bias[k] : Real(0)) + message.stabiliser) * message.message;
    m.absorbed[k] = message.passed ? Real(0) : m.relevance[k];
  }
}

}  // namespace lstm_lrp
