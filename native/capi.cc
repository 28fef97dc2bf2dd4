// Implements the C ABI over the kernel: picks the dtype instantiation, turns
// Status into codes and messages, and keeps exceptions from crossing.
#include <new>
#include <string>

#include "explain/explain.h"
#include "include/lstm_lrp.h"
#include "model/model.h"

struct lstm_lrp_model {
  lstm_lrp_dtype dtype;
  lstm_lrp::Model<float> f32;
  lstm_lrp::Model<double> f64;
};

namespace {

thread_local std::string last_error;

lstm_lrp_status report(const lstm_lrp::Status& status) {
  last_error = status.message();
  return status.code();
}

template <typename Call>
lstm_lrp_status guarded(Call call) {
#if defined(__cpp_exceptions)
  try {
    return report(call());
  } catch (const std::bad_alloc&) {
    return report(lstm_lrp::Status::out_of_memory("out of memory"));
  } catch (...) {
    last_error = "internal error";
    return LSTM_LRP_INTERNAL_ERROR;
  }
#else
  return report(call());
#endif
}

lstm_lrp::Status null_argument(const char* name) { return lstm_lrp::Status::invalid(std::string(name) + " is a null pointer"); }

}  // namespace

extern "C" {

const char* lstm_lrp_last_error(void) { return last_error.c_str(); }

lstm_lrp_status lstm_lrp_model_create(const lstm_lrp_model_desc* desc, lstm_lrp_model** out) {
  return guarded([&]() {
    if (desc == nullptr) return null_argument("model description");
    if (out == nullptr) return null_argument("model output");
    *out = nullptr;
    if (desc->dtype != LSTM_LRP_F32 && desc->dtype != LSTM_LRP_F64)
      return lstm_lrp::Status::invalid("unknown dtype " + std::to_string(desc->dtype));
    auto* model = new lstm_lrp_model();
    model->dtype = static_cast<lstm_lrp_dtype>(desc->dtype);
    const lstm_lrp::Status status =
        model->dtype == LSTM_LRP_F32 ? lstm_lrp::build_model(*desc, model->f32) : lstm_lrp::build_model(*desc, model->f64);
    if (!status.is_ok()) {
      delete model;
      return status;
    }
    *out = model;
    return status;
  });
}

void lstm_lrp_model_destroy(lstm_lrp_model* model) { delete model; }

lstm_lrp_status lstm_lrp_predict(const lstm_lrp_model* model, const lstm_lrp_batch* batch,
                                 lstm_lrp_output_buffer scores, lstm_lrp_output_buffer probabilities) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (batch == nullptr) return null_argument("batch");
    return model->dtype == LSTM_LRP_F32 ? lstm_lrp::predict_batch(model->f32, *batch, scores, probabilities)
                                        : lstm_lrp::predict_batch(model->f64, *batch, scores, probabilities);
  });
}

lstm_lrp_status lstm_lrp_explain(const lstm_lrp_model* model, const lstm_lrp_explain_options* options,
                                 const lstm_lrp_batch* batch, lstm_lrp_input_buffer target_weights,
                                 const lstm_lrp_explain_outputs* outputs) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (options == nullptr) return null_argument("options");
    if (batch == nullptr) return null_argument("batch");
    if (outputs == nullptr) return null_argument("outputs");
    return model->dtype == LSTM_LRP_F32
               ? lstm_lrp::explain_batch(model->f32, *options, *batch, target_weights, *outputs)
               : lstm_lrp::explain_batch(model->f64, *options, *batch, target_weights, *outputs);
  });
}

}  // extern "C"
