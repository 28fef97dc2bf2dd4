// A small dense symmetric solver for the sampling methods' regressions (docs/METHODS.md § KernelSHAP, § LIME).
#pragma once

#include <cstddef>
#include <vector>

namespace lstm_lrp {

// A pivot of the Cholesky factorisation at most this fraction of the largest diagonal entry
// marks the matrix singular: the sampled rows do not determine the solution.
constexpr double kSingularPivot = 1e-10;

// Solves a x = b for the symmetric n × n matrix a (row-major, its lower triangle read) by the
// Cholesky factorisation a = L Lᵀ in float64, then L y = b and Lᵀ x = y; a becomes L and b
// becomes x. Returns false, leaving a and b undefined, when a pivot is not above
// kSingularPivot · max_i a_ii (a singular, or not positive definite).
bool solve_cholesky(std::vector<double>& a, std::vector<double>& b, std::size_t n);

}  // namespace lstm_lrp
