#include "dense_solver.h"

#include <algorithm>
#include <cmath>

namespace lstm_lrp {

void accumulate_normal_equations(const std::vector<double>& row, double weight, double target, std::vector<double>& gram,
                                 std::vector<double>& rhs) {
  const std::size_t n = row.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (row[i] == 0) continue;
    const double weighted = weight * row[i];
    rhs[i] += weighted * target;
    for (std::size_t j = 0; j <= i; ++j) gram[i * n + j] += weighted * row[j];
  }
}

bool solve_cholesky(std::vector<double>& a, std::vector<double>& b, std::size_t n) {
  double largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, a[i * n + i]);
  const double smallest_pivot = kSingularPivot * largest;
  for (std::size_t j = 0; j < n; ++j) {
    double pivot = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) pivot -= a[j * n + k] * a[j * n + k];
    if (!(pivot > smallest_pivot)) return false;
    const double diagonal = std::sqrt(pivot);
    a[j * n + j] = diagonal;
    for (std::size_t i = j + 1; i < n; ++i) {
      double value = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) value -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = value / diagonal;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    double value = b[i];
    for (std::size_t k = 0; k < i; ++k) value -= a[i * n + k] * b[k];
    b[i] = value / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double value = b[i];
    for (std::size_t k = i + 1; k < n; ++k) value -= a[k * n + i] * b[k];
    b[i] = value / a[i * n + i];
  }
  return true;
}

}  // namespace lstm_lrp
