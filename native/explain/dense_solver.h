// The sampling methods' weighted least-squares fits (docs/METHODS.md § KernelSHAP, § LIME): their
// normal equations, accumulated one observation at a time, and a small dense symmetric solver.
#pragma once

#include <cstddef>
#include <vector>

namespace lstm_lrp {

// Adds one observation of a weighted fit to the normal equations AᵀWA x = AᵀWy: weight · row rowᵀ
// to gram's lower triangle (n × n, row-major, n = row.size()) and weight · target · row to rhs.
// The sampled rows are mostly zeros, which add nothing and are skipped.
void accumulate_normal_equations(const std::vector<double>& row, double weight, double target, std::vector<double>& gram,
                                 std::vector<double>& rhs);

// A pivot of the Cholesky factorisation at most this fraction of the largest diagonal entry
// marks the matrix singular: the sampled rows do not determine the solution.
constexpr double kSingularPivot = 1e-10;

// Solves a x = b for the symmetric n × n matrix a (row-major, its lower triangle read) by the
// Cholesky factorisation a = L Lᵀ in float64, then L y = b and Lᵀ x = y; a becomes L and b
// becomes x. Returns false, leaving a and b undefined, when a pivot is not above
// kSingularPivot · max_i a_ii (a singular, or not positive definite).
bool solve_cholesky(std::vector<double>& a, std::vector<double>& b, std::size_t n);

}  // namespace lstm_lrp
