// The element-wise LRP rules one value at a time: the reference of the vector kernels
// (simd/lrp_rules_vec.h) and the float64 path.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include "../kernels.h"

namespace lstm_lrp {

// Per cell: r_c = from_above + recurrent + cell_next; with d = c + eps·sign(c) (sign(0) = +1),
// the message m = r_c / d, or 0 where d = 0 or the quotient overflows (then all of r_c is
// absorbed); spread = bias_factor·eps·sign(c) / 2;
//   cell_input_relevance = (i·z + spread)·m, cell_next = (f·c_prev + spread)·m,
//   absorbed = (1 − bias_factor)·eps·sign(c)·m.
template <typename Real>
void lrp_split_scalar(const AccumulationSplit<Real>& a) {
  for (std::size_t j = 0; j < a.cells; ++j) {
    const Real r_c = a.from_above[j] + a.recurrent[j] + a.cell_next[j];
    const Real stabiliser = a.cell[j] >= Real(0) ? a.eps : -a.eps;
    const Real denominator = a.cell[j] + stabiliser;
    const Real quotient = r_c / (denominator == Real(0) ? Real(1) : denominator);
    const bool absorb = denominator == Real(0) || !(std::fabs(quotient) <= std::numeric_limits<Real>::max());
    const Real message = absorb ? Real(0) : quotient;
    const Real spread = a.bias_factor * stabiliser * Real(0.5);
    a.cell_input_relevance[j] = (a.input_gate[j] * a.cell_input[j] + spread) * message;
    a.cell_next[j] = (a.forget_gate[j] * a.cell_prev[j] + spread) * message;
    a.absorbed[j] = absorb ? r_c : (Real(1) - a.bias_factor) * stabiliser * message;
  }
}

// Per output k: d = z + eps·sign(z) (sign(0) = +1); the message s = R / d, or 0 where d = 0
// or the quotient overflows (then all of R is absorbed); shares = (b + eps·sign(z))·s.
template <typename Real>
void epsilon_messages_scalar(const EpsilonMessages<Real>& m) {
  for (std::size_t k = 0; k < m.count; ++k) {
    const Real stabiliser = m.z[k] >= Real(0) ? m.eps : -m.eps;
    const Real denominator = m.z[k] + stabiliser;
    const Real quotient = m.relevance[k] / (denominator == Real(0) ? Real(1) : denominator);
    const bool passes = denominator != Real(0) && std::fabs(quotient) <= std::numeric_limits<Real>::max();
    m.messages[k] = passes ? quotient : Real(0);
    m.shares[k] = ((m.bias != nullptr ? m.bias[k] : Real(0)) + stabiliser) * m.messages[k];
    m.absorbed[k] = passes ? Real(0) : m.relevance[k];
  }
}

}  // namespace lstm_lrp
