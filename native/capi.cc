// Implements the C ABI over the kernel: picks the dtype instantiation, turns
// Status into codes and messages, and keeps exceptions from crossing.
#include <atomic>
#include <new>
#include <string>

#include <memory>

#include "common/thread_pool.h"
#include "explain/explain.h"
#include "explain/packed_options.h"
#include "include/lstm_lrp.h"
#include "model/model.h"
#include "simd/kernels.h"
#include "train/training.h"

struct lstm_lrp_model {
  lstm_lrp_dtype dtype;
  std::atomic<std::size_t> threads{1};
  lstm_lrp::Model<float> f32;
  lstm_lrp::Model<double> f64;
};

struct lstm_lrp_trainer {
  std::unique_ptr<lstm_lrp::Trainer<float>> f32;
  std::unique_ptr<lstm_lrp::Trainer<double>> f64;
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

template <typename Real>
lstm_lrp::Status copy_weights(const lstm_lrp::Model<Real>& model, const lstm_lrp_tensors& out) {
  return lstm_lrp::copy_tensors_out<Real>(
      lstm_lrp::tensor_slots(model), out, model.layers.size(),
      [&](const lstm_lrp::TensorSlot& slot) -> const lstm_lrp::AlignedVector<Real>& { return lstm_lrp::weights_at(model, slot); });
}

template <typename Real>
lstm_lrp::Status gradients_out(const lstm_lrp::Model<Real>& model, const lstm_lrp_batch& batch, int32_t loss,
                               const lstm_lrp_input_buffer& targets, double* loss_out, const lstm_lrp_tensors& out) {
  lstm_lrp::Gradients<Real> gradients;
  std::int64_t correct = 0;
  LSTM_LRP_RETURN_IF_ERROR(lstm_lrp::batch_loss(model, batch, loss, targets, *loss_out, correct, &gradients));
  return lstm_lrp::copy_tensors_out<Real>(
      lstm_lrp::tensor_slots(model), out, model.layers.size(),
      [&](const lstm_lrp::TensorSlot& slot) -> const lstm_lrp::AlignedVector<Real>& { return lstm_lrp::gradient_at(gradients, slot); });
}

}  // namespace

extern "C" {

const char* lstm_lrp_last_error(void) { return last_error.c_str(); }

const char* lstm_lrp_isa(void) { return lstm_lrp::selected_isa(); }

int32_t lstm_lrp_abi_version(void) { return LSTM_LRP_ABI_VERSION; }

lstm_lrp_status lstm_lrp_select_isa(const char* name) {
  return guarded([&]() {
    if (name == nullptr) return null_argument("ISA name");
    if (lstm_lrp::select_isa(name)) return lstm_lrp::Status::ok();
    return lstm_lrp::Status::invalid("ISA '" + std::string(name) + "' is not available here; supported: " + lstm_lrp::supported_isas());
  });
}

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

lstm_lrp_status lstm_lrp_model_set_threads(lstm_lrp_model* model, int32_t threads) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (threads < 0 || threads > LSTM_LRP_MAX_THREADS)
      return lstm_lrp::Status::invalid("threads must be in [0, " + std::to_string(LSTM_LRP_MAX_THREADS) + "]; got " +
                                       std::to_string(threads));
    model->threads = threads == 0 ? lstm_lrp::hardware_threads() : static_cast<std::size_t>(threads);
    return lstm_lrp::Status::ok();
  });
}

lstm_lrp_status lstm_lrp_predict(const lstm_lrp_model* model, const lstm_lrp_batch* batch, lstm_lrp_output_buffer scores,
                                 lstm_lrp_output_buffer probabilities) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (batch == nullptr) return null_argument("batch");
    return model->dtype == LSTM_LRP_F32 ? lstm_lrp::predict_batch(model->f32, *batch, scores, probabilities, model->threads)
                                        : lstm_lrp::predict_batch(model->f64, *batch, scores, probabilities, model->threads);
  });
}

lstm_lrp_status lstm_lrp_explain(const lstm_lrp_model* model, const lstm_lrp_explain_options* options, const lstm_lrp_batch* batch,
                                 lstm_lrp_input_buffer target_weights, const lstm_lrp_explain_outputs* outputs) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (options == nullptr) return null_argument("options");
    if (batch == nullptr) return null_argument("batch");
    if (outputs == nullptr) return null_argument("outputs");
    return model->dtype == LSTM_LRP_F32 ? lstm_lrp::explain_batch(model->f32, *options, *batch, target_weights, *outputs, model->threads)
                                        : lstm_lrp::explain_batch(model->f64, *options, *batch, target_weights, *outputs, model->threads);
  });
}

lstm_lrp_status lstm_lrp_unpack_explain_options(const double* values, int64_t count, lstm_lrp_explain_options* options) {
  return guarded([&]() {
    if (options == nullptr) return null_argument("options");
    return lstm_lrp::unpack_explain_options(values, count, *options);
  });
}

lstm_lrp_status lstm_lrp_model_weights(const lstm_lrp_model* model, const lstm_lrp_tensors* out) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (out == nullptr) return null_argument("tensors output");
    return model->dtype == LSTM_LRP_F32 ? copy_weights(model->f32, *out) : copy_weights(model->f64, *out);
  });
}

lstm_lrp_status lstm_lrp_evaluate(const lstm_lrp_model* model, const lstm_lrp_batch* batch, int32_t loss, lstm_lrp_input_buffer targets,
                                  double* loss_out, int64_t* correct_out) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (batch == nullptr) return null_argument("batch");
    if (loss_out == nullptr || correct_out == nullptr) return null_argument("evaluate output");
    return model->dtype == LSTM_LRP_F32 ? lstm_lrp::batch_loss(model->f32, *batch, loss, targets, *loss_out, *correct_out,
                                                               static_cast<lstm_lrp::Gradients<float>*>(nullptr))
                                        : lstm_lrp::batch_loss(model->f64, *batch, loss, targets, *loss_out, *correct_out,
                                                               static_cast<lstm_lrp::Gradients<double>*>(nullptr));
  });
}

lstm_lrp_status lstm_lrp_gradients(const lstm_lrp_model* model, const lstm_lrp_batch* batch, int32_t loss, lstm_lrp_input_buffer targets,
                                   double* loss_out, const lstm_lrp_tensors* gradients) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (batch == nullptr) return null_argument("batch");
    if (loss_out == nullptr || gradients == nullptr) return null_argument("gradients output");
    return model->dtype == LSTM_LRP_F32 ? gradients_out(model->f32, *batch, loss, targets, loss_out, *gradients)
                                        : gradients_out(model->f64, *batch, loss, targets, loss_out, *gradients);
  });
}

lstm_lrp_status lstm_lrp_trainer_create(lstm_lrp_model* model, const lstm_lrp_train_options* options, lstm_lrp_trainer** out) {
  return guarded([&]() {
    if (model == nullptr) return null_argument("model");
    if (options == nullptr) return null_argument("train options");
    if (out == nullptr) return null_argument("trainer output");
    *out = nullptr;
    lstm_lrp::TrainSettings settings{};
    LSTM_LRP_RETURN_IF_ERROR(lstm_lrp::check_train_options(*options, settings));
    auto trainer = std::make_unique<lstm_lrp_trainer>();
    if (model->dtype == LSTM_LRP_F32)
      trainer->f32 = std::make_unique<lstm_lrp::Trainer<float>>(model->f32, settings);
    else
      trainer->f64 = std::make_unique<lstm_lrp::Trainer<double>>(model->f64, settings);
    *out = trainer.release();
    return lstm_lrp::Status::ok();
  });
}

void lstm_lrp_trainer_destroy(lstm_lrp_trainer* trainer) { delete trainer; }

lstm_lrp_status lstm_lrp_train_step(lstm_lrp_trainer* trainer, const lstm_lrp_batch* batch, lstm_lrp_input_buffer targets,
                                    double* loss_out) {
  return guarded([&]() {
    if (trainer == nullptr) return null_argument("trainer");
    if (batch == nullptr) return null_argument("batch");
    if (loss_out == nullptr) return null_argument("loss output");
    return trainer->f32 ? trainer->f32->step(*batch, targets, *loss_out) : trainer->f64->step(*batch, targets, *loss_out);
  });
}

}  // extern "C"
