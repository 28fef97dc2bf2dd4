// Internal status: kernel routines return a Status instead of throwing, so the
// same code runs in WASM builds compiled without exception support.
#pragma once

#include <string>
#include <utility>

#include "../include/lstm_lrp.h"

namespace lstm_lrp {

class Status {
 public:
  static Status ok() { return Status(LSTM_LRP_OK, std::string()); }
  static Status invalid(std::string message) { return Status(LSTM_LRP_INVALID_ARGUMENT, std::move(message)); }
  static Status out_of_memory(std::string message) { return Status(LSTM_LRP_OUT_OF_MEMORY, std::move(message)); }
  static Status numeric(std::string message) { return Status(LSTM_LRP_NUMERIC_ERROR, std::move(message)); }

  bool is_ok() const { return code_ == LSTM_LRP_OK; }
  lstm_lrp_status code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(lstm_lrp_status code, std::string message) : code_(code), message_(std::move(message)) {}
  lstm_lrp_status code_;
  std::string message_;
};

#define LSTM_LRP_RETURN_IF_ERROR(expr)    \
  do {                                    \
    ::lstm_lrp::Status status_ = (expr);  \
    if (!status_.is_ok()) return status_; \
  } while (0)

}  // namespace lstm_lrp
