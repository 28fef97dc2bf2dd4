// LRP through one direction of a GRU layer (docs/METHODS.md § LRP): the LSTM's principles
// applied to h = (1 - u)⊙n + u⊙h', its reset product and its gate maps.
#pragma once

#include <cstddef>

#include "../forward/trace.h"
#include "../model/model.h"
#include "settings.h"

namespace lstm_lrp {

// What one direction's pass adds to the conservation report.
struct GruRelevanceAccounts {
  double absorbed = 0;
  double initial_state = 0;
};

// Relevance of a GRU direction's outputs (output_signal, [T, D] with D = directions·H) sent to
// its inputs x ([T, I]): added to input_signal ([T, I]).
template <typename Real>
void gru_direction_relevance(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t steps, const Real* x,
                             const Real* output_signal, const ExplainSettings<Real>& settings, Real* input_signal,
                             GruRelevanceAccounts& accounts);

}  // namespace lstm_lrp
