// Backpropagation through time: the gradient of Σ g ⊙ scores, for a given
// output gradient g ([rows, C]), with respect to the (embedded) inputs and,
// when asked, every parameter. Explanations and training share this one pass.
#pragma once

#include <vector>

#include "../explain/backward.h"
#include "../forward/trace.h"
#include "../model/model.h"

namespace lstm_lrp {

// Gradients in the shapes of the model's tensors (the embedding is the caller's:
// it alone knows the token ids).
template <typename Real>
struct ParameterGradients {
  std::vector<std::vector<DirectionWeights<Real>>> layers;  // per layer, per direction
  std::vector<Real> head_weight;
  std::vector<Real> head_bias;

  void zero_like(const Model<Real>& model);
};

// input_gradient: [T, I], overwritten. parameters: accumulated into, or null.
template <typename Real>
void backpropagate(const Model<Real>& model, const SequenceTrace<Real>& trace, const Real* output_gradient,
                   BackwardWorkspace<Real>& ws, Real* input_gradient, ParameterGradients<Real>* parameters);

}  // namespace lstm_lrp
