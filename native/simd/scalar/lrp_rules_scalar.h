// The element-wise LRP rules one value at a time: the reference of the vector kernels
// (simd/lrp_rules_vec.h) and the float64 path.
#pragma once

#include <cstddef>

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
  const Real stabiliser = stabiliser_of(cell, eps);
  const Real denominator = cell + stabiliser;
  const bool passed = passes_message(r_c, denominator);
  const Real message = passed ? r_c / denominator : Real(0);
  const Real spread = bias_factor * stabiliser * Real(0.5);
  return {(input_gate * cell_input + spread) * message, (forget_gate * cell_prev + spread) * message,
          passed ? (Real(1) - bias_factor) * stabiliser * message : r_c, passed};
}

// Per cell: r_c = from_above + recurrent + cell_next, split by split_accumulation.
template <typename Real>
void lrp_split_scalar(const AccumulationSplit<Real>& a) {
  for (std::size_t j = 0; j < a.cells; ++j) {
    const Real r_c = a.from_above[j] + a.recurrent[j] + a.cell_next[j];
    const AccumulationShares<Real> shares =
        split_accumulation(r_c, a.cell[j], a.input_gate[j], a.cell_input[j], a.forget_gate[j], a.cell_prev[j], a.eps, a.bias_factor);
    a.cell_input_relevance[j] = shares.input_product;
    a.cell_next[j] = shares.forget_product;
    a.absorbed[j] = shares.absorbed;
  }
}

// Per output k: d = z + eps·sign(z) (sign(0) = +1); the message s = R / d, or 0 where d = 0
// or the quotient overflows (then all of R is absorbed); shares = (b + eps·sign(z))·s.
template <typename Real>
void epsilon_messages_scalar(const EpsilonMessages<Real>& m) {
  for (std::size_t k = 0; k < m.count; ++k) {
    const Real stabiliser = stabiliser_of(m.z[k], m.eps);
    const Real denominator = m.z[k] + stabiliser;
    const bool passes = passes_message(m.relevance[k], denominator);
    m.messages[k] = passes ? m.relevance[k] / denominator : Real(0);
    m.shares[k] = ((m.bias != nullptr ? m.bias[k] : Real(0)) + stabiliser) * m.messages[k];
    m.absorbed[k] = passes ? Real(0) : m.relevance[k];
  }
}

}  // namespace lstm_lrp
