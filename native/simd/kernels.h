// The hot loops as a table of function pointers, one table per ISA and dtype,
// chosen once at load (or forced, so tests can run every path on one machine).
#pragma once

#include <cstddef>
#include <string>

namespace lstm_lrp {

// One step of an LSTM direction's LRP backward pass when no gate takes relevance (LRP-all, or
// absent gates), per cell j < cells; see lrp_step_scalar in scalar/lrp_rules_scalar.h. The
// relevance of y from the next step, y ⊙ (U_zᵀ m) + its bias share, is formed here from that
// step's product; the accumulation c = i⊙z + f⊙c_prev is split, and the relevance of z's
// pre-activation becomes the epsilon messages of z's map a_z = W_z x + U_z y_prev + b_z.
template <typename Real>
struct LrpStep {
  const Real* from_above;       // relevance of y from the layer above
  const Real* output;           // y, or null at a direction's first backward step (nothing comes from a next step)
  Real* next_product;           // U_zᵀ m of the next step, read where output is set, then zeroed for this step's product
  Real next_spread;             // the next step's bias share per input of y_prev
  Real* cell_next;              // in: relevance of c from the next step; out: that of c_prev
  const Real* input_gate;       // i
  const Real* cell_input;       // z
  const Real* forget_gate;      // f
  const Real* cell;             // c
  const Real* cell_prev;        // c_prev
  const Real* cell_input_pre;   // a_z
  const Real* cell_input_bias;  // b_z
  Real* messages;               // out: z's map messages
  double* sums;                 // out [3]: what the accumulation absorbs, what z's map absorbs (no message
                                // passes), and z's map bias share Σ (b + eps·sign a_z)·s; float64 sums
                                // in the order of common/interleaved_sum.h
  std::size_t cells;
  Real eps;
  Real bias_factor;
};

// The epsilon rule's messages of a linear map z = W a + b, per output k < count; see
// epsilon_messages_scalar in scalar/lrp_rules_scalar.h.
template <typename Real>
struct EpsilonMessages {
  const Real* z;          // pre-activations
  const Real* bias;       // b, or null for a map without bias
  const Real* relevance;  // R of z
  std::size_t count;
  Real eps;
  Real* messages;  // out: s
  Real* shares;    // out: what bias and stabiliser take, (b + eps·sign z)·s
  Real* absorbed;  // out: R where no message passes, else 0
};

// One step of a direction's gradient backward pass for the usual cell (tanh g and h, every
// gate), per cell j < cells; see gradient_step_scalar in scalar/gradient_scalar.h.
template <typename Real>
struct GradientStep {
  const Real* from_above;   // ∂/∂y from the layer above
  const Real* recurrent;    // ∂/∂y from the next step
  Real* cell_next;          // in: ∂/∂c from the next step; out: ∂/∂c_prev
  const Real* activations;  // [4 cells]: z, i, f, o
  const Real* cell_prev;    // c_prev
  const Real* cell_output;  // h_scale·tanh(c)
  Real* block;              // out [4 cells]: ∂/∂ of the four blocks' pre-activations
  std::size_t cells;
  Real g_scale;
  Real h_scale;
};

// The type of the product kernel, Kernels::accumulate_rows (and of each ISA's, which dispatch.cc declares).
template <typename Real>
using AccumulateRows = void(const Real* A, std::size_t rows, std::size_t cols, std::size_t stride, const Real* const* coefficients,
                            const Real* const* start, Real* const* y, std::size_t count);

// The type of Kernels::accumulate_rows_pair.
template <typename Real>
using AccumulateRowsPair = void(const Real* const* A, std::size_t rows, std::size_t cols, std::size_t stride,
                                const Real* const* coefficients, const Real* const* start, Real* const* y);

template <typename Real>
struct Kernels {
  // y[s][c] = start[s][c] + Σ_r coefficients[s][r] · A[r, c] for s < count and row-major A of
  // rows × cols whose rows lie `stride` values apart (cols, or more where rows are padded to whole
  // cache lines), where start[s] is y[s] itself (accumulate), another row, or null (zeros): every
  // matrix product of the forward and backward passes in "sum of rows" form, for several
  // coefficient vectors (steps or sequences) at once, each A row loaded once per tile.
  AccumulateRows<Real>* accumulate_rows;
  // accumulate_rows of one row over each of two matrices A[0] and A[1] of rows × cols, rows
  // `stride` apart (y[d], start[d] and coefficients[d] for A[d]), the two at once: the same bits
  // as two calls.
  AccumulateRowsPair<Real>* accumulate_rows_pair;
  // A[r, c] += u[r] · v[c]: parameter gradients.
  void (*rank_one_update)(Real* A, std::size_t rows, std::size_t cols, const Real* u, const Real* v);
  // out[k] = σ(in[k]) and tanh(in[k]); in and out may be the same array.
  void (*sigmoid)(const Real* in, Real* out, std::size_t n);
  void (*tanh)(const Real* in, Real* out, std::size_t n);
  void (*lrp_step)(const LrpStep<Real>& step);
  void (*epsilon_messages)(const EpsilonMessages<Real>& map);
  void (*gradient_step)(const GradientStep<Real>& step);
  // out[k] = base[k] + factor · x[k], the product rounded before the sum; out may be base.
  void (*scaled_add)(const Real* base, Real factor, const Real* x, Real* out, std::size_t n);
  // out[k] = x[k] · y[k] + c, the product rounded before the sum: the epsilon rule's relevance of
  // a map's inputs, a ⊙ (Wᵀ s) + the bias share per input.
  void (*multiply_add_constant)(const Real* x, const Real* y, Real c, Real* out, std::size_t n);
  // out[k] += x[k] · y[k] + c, the same sum added to out.
  void (*add_multiply_add_constant)(const Real* x, const Real* y, Real c, Real* out, std::size_t n);
  // The LSTM cell state from its activations: z[k] = g_scale · z[k] in place, then
  // c[k] = i[k] · z[k] + f[k] · c_prev[k], each product rounded before the sum.
  void (*cell_state)(Real* z, const Real* i, const Real* f, const Real* c_prev, Real g_scale, Real* c, std::size_t n);
  // The LSTM cell output from h(c): h[k] = h_scale · h[k] in place, then y[k] = o[k] · h[k],
  // written to y and to y_copy (the layer's output row).
  void (*cell_output)(Real* h, const Real* o, Real h_scale, Real* y, Real* y_copy, std::size_t n);
};

// The table of the selected ISA.
template <typename Real>
const Kernels<Real>& kernels();

// Name of the selected ISA ("avx512", "avx2", "sse2", "neon", "simd128", "scalar").
const char* selected_isa();

// Selects an ISA by name if this build and CPU support it; returns whether it did.
bool select_isa(const char* name);

// The ISAs this build and CPU support, best first, comma-separated.
std::string supported_isas();

}  // namespace lstm_lrp
