// Occlusion: the change of the target score when one step is replaced or deleted.
#include <algorithm>

#include "coalition_forward.h"

namespace lstm_lrp {

// The T changed copies, each the coalition of every step but one, run their forward passes
// together (coalition_forward.h).
template <typename Real>
void explain_occlusion(SequenceJob<Real>& job) {
  const std::size_t steps = job.trace.steps;
  const double original = full_coalition_value(job);
  first_layer_projections(job);
  std::vector<double> differences(steps);
  evaluate_coalitions(
      job, steps,
      [&](std::size_t t, std::uint8_t* kept) {
    std::fill(kept, kept + steps, std::uint8_t(1));
    kept[t] = 0;
      },
      [&](std::size_t t, double occluded) { differences[t] = original - occluded; });
  write_step_values(job, differences);
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

template void explain_occlusion<float>(SequenceJob<float>&);
template void explain_occlusion<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
