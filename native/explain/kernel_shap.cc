// PLACEHOLDER on the sampling-abi base branch only: replace this whole file with the method.
#include "backward.h"

namespace lstm_lrp {

template <typename Real>
void explain_kernel_shap(SequenceJob<Real>&) {}

template void explain_kernel_shap<float>(SequenceJob<float>&);
template void explain_kernel_shap<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
