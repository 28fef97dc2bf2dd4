// PLACEHOLDER on the sampling-abi base branch only: replace this whole file with the method.
#include "backward.h"

namespace lstm_lrp {

template <typename Real>
void explain_shapley(SequenceJob<Real>&) {}

template void explain_shapley<float>(SequenceJob<float>&);
template void explain_shapley<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
