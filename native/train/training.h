// Batch losses, parameter gradients and optimiser steps behind the training C ABI.
#pragma once

#include <cstdint>
#include <vector>

#include "../common/aligned_vector.h"
#include "../model/model.h"
#include "tensors.h"

namespace lstm_lrp {

// Mean loss of a batch; with gradients, also its gradient for every parameter (overwritten).
template <typename Real>
Status batch_loss(const Model<Real>& model, const lstm_lrp_batch& batch, int32_t loss, const lstm_lrp_input_buffer& targets,
                  double& mean_loss, std::int64_t& correct, Gradients<Real>* gradients);

struct TrainSettings {
  lstm_lrp_loss loss;
  lstm_lrp_optimizer optimizer;
  double learning_rate;
  double beta1;
  double beta2;
  double epsilon;
  double weight_decay;
  double clip_norm;
};

Status check_train_options(const lstm_lrp_train_options& options, TrainSettings& settings);

template <typename Real>
class Trainer {
 public:
  Trainer(Model<Real>& model, const TrainSettings& settings);
  // Rebuilds the model's input projection table once training has changed the weights.
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  Status step(const lstm_lrp_batch& batch, const lstm_lrp_input_buffer& targets, double& mean_loss);

 private:
  template <typename Rule>
  Status update(const Rule& rule);

  Model<Real>& model_;
  TrainSettings settings_;
  std::vector<TensorSlot> slots_;
  bool weights_changed_ = false;
  Gradients<Real> gradients_;
  std::vector<AlignedVector<Real>> first_moment_;   // Adam m
  std::vector<AlignedVector<Real>> second_moment_;  // Adam v, AdaGrad's sum of squares
  std::int64_t steps_ = 0;
};

}  // namespace lstm_lrp
