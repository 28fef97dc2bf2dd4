// PLACEHOLDER on the sampling-abi base branch only: replace this whole file with the method.
#include "backward.h"

namespace lstm_lrp {

template <typename Real>
void explain_smoothgrad(SequenceJob<Real>&) {}

template void explain_smoothgrad<float>(SequenceJob<float>&);
template void explain_smoothgrad<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
