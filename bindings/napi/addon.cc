// N-API adapter over the C ABI: reads JS objects and typed arrays into the C
// structs (no copies), calls the kernel, turns status codes into JS errors.
#include <napi.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lstm_lrp.h"
#include "steady_threads.h"

namespace {

using ModelHandle = std::shared_ptr<lstm_lrp_model>;

// Typed arrays an async call reads or writes: referenced until it completes.
class Pins {
 public:
  void hold(const Napi::Value& value) { refs_.push_back(Napi::Persistent(value.As<Napi::Object>())); }

 private:
  std::vector<Napi::ObjectReference> refs_;
};

napi_typedarray_type float_type(int32_t dtype) { return dtype == LSTM_LRP_F32 ? napi_float32_array : napi_float64_array; }

const char* type_name(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return "a Float32Array";
    case napi_float64_array: return "a Float64Array";
    case napi_int32_array: return "an Int32Array";
    default: return "a typed array";
  }
}

// A typed array of the given element type, or absent when the value is null/undefined.
lstm_lrp_input_buffer input_buffer(const Napi::Value& value, napi_typedarray_type type, const char* name, Pins* pins) {
  if (value.IsNull() || value.IsUndefined()) return {nullptr, 0};
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type)
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be " + type_name(type));
  if (pins != nullptr) pins->hold(value);
  // Asked of the typed array itself: node-addon-api's ArrayBuffer() fails when a SharedArrayBuffer is behind it.
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(value.Env(), value, nullptr, &length, &data, nullptr, nullptr) != napi_ok)
    throw Napi::Error::New(value.Env());
  return {data, static_cast<int64_t>(length)};
}

lstm_lrp_output_buffer output_buffer(const Napi::Value& value, napi_typedarray_type type, const char* name, Pins* pins) {
  lstm_lrp_input_buffer view = input_buffer(value, type, name, pins);
  if (view.data == nullptr) throw Napi::TypeError::New(value.Env(), std::string(name) + " is required");
  return {const_cast<void*>(view.data), view.length};
}

// A number that must be an int32 exactly: the kernel validates ranges, but nothing may be truncated on the way.
int32_t int_value(const Napi::Value& value, const std::string& name) {
  if (!value.IsNumber()) throw Napi::TypeError::New(value.Env(), name + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= -2147483648.0 && number <= 2147483647.0) || number != static_cast<double>(static_cast<int32_t>(number)))
    throw Napi::TypeError::New(value.Env(), name + " must be a 32-bit integer");
  return static_cast<int32_t>(number);
}

int32_t int_field(const Napi::Object& object, const char* key) { return int_value(object.Get(key), key); }

double number_field(const Napi::Object& object, const char* key) {
  const Napi::Value value = object.Get(key);
  if (!value.IsNumber()) throw Napi::TypeError::New(object.Env(), std::string(key) + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

void flags(const Napi::Object& cell, const char* key, uint8_t out[4]) {
  auto array = cell.Get(key).As<Napi::Array>();
  for (uint32_t k = 0; k < 4; ++k) out[k] = array.Get(k).ToBoolean().Value() ? 1 : 0;
}

void throw_status(Napi::Env env, lstm_lrp_status status) {
  const std::string message = lstm_lrp_last_error();
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("status", Napi::Number::New(env, status));
  throw error;
}

// The C structs of one predict/explain call, built from JS values.
struct CallArguments {
  lstm_lrp_batch batch{};
  lstm_lrp_explain_options options{};
  lstm_lrp_input_buffer target_weights{};
  lstm_lrp_explain_outputs outputs{};
  lstm_lrp_output_buffer scores{};
  lstm_lrp_output_buffer probabilities{};
};

void read_batch_arrays(const Napi::Value& lengths_array, const Napi::Value& inputs, const Napi::Value& tokens, int32_t dtype,
                       CallArguments& call, Pins* pins) {
  lstm_lrp_input_buffer lengths = input_buffer(lengths_array, napi_int32_array, "lengths", pins);
  if (lengths.data == nullptr) throw Napi::TypeError::New(lengths_array.Env(), "lengths is required");
  call.batch.count = static_cast<int32_t>(lengths.length);
  call.batch.lengths = static_cast<const int32_t*>(lengths.data);
  call.batch.inputs = input_buffer(inputs, float_type(dtype), "inputs", pins);
  call.batch.tokens = input_buffer(tokens, napi_int32_array, "tokens", pins);
}

void read_batch(const Napi::Object& batch, int32_t dtype, CallArguments& call, Pins* pins) {
  read_batch_arrays(batch.Get("lengths"), batch.Get("inputs"), batch.Get("tokens"), dtype, call, pins);
}

// (packed numeric options: a Float64Array, occlusion vector, IG baseline)
void read_options(const Napi::Value& packed, const Napi::Value& occlusion_vector, const Napi::Value& ig_baseline, int32_t dtype,
                  CallArguments& call, Pins* pins) {
  const lstm_lrp_input_buffer values = input_buffer(packed, napi_float64_array, "packed options", nullptr);
  const lstm_lrp_status status = lstm_lrp_unpack_explain_options(static_cast<const double*>(values.data), values.length, &call.options);
  if (status != LSTM_LRP_OK) throw_status(packed.Env(), status);
  call.options.occlusion_vector = input_buffer(occlusion_vector, float_type(dtype), "occlusionVector", pins);
  call.options.ig_baseline = input_buffer(ig_baseline, float_type(dtype), "igBaseline", pins);
}

// (lengths, inputs, tokens, packed options, occlusion vector, IG baseline, target weights, scores,
// relevance, per-step, conservation, targets): positional, since looking up a dozen property
// names costs a noticeable share of a short explanation.
void read_explain(const Napi::CallbackInfo& info, int32_t dtype, CallArguments& call, Pins* pins) {
  read_batch_arrays(info[0], info[1], info[2], dtype, call, pins);
  read_options(info[3], info[4], info[5], dtype, call, pins);
  call.target_weights = input_buffer(info[6], napi_float64_array, "targetWeights", pins);
  call.outputs.scores = output_buffer(info[7], float_type(dtype), "scores", pins);
  call.outputs.relevance = output_buffer(info[8], float_type(dtype), "relevance", pins);
  call.outputs.per_step = output_buffer(info[9], float_type(dtype), "perStep", pins);
  call.outputs.conservation = output_buffer(info[10], napi_float64_array, "conservation", pins);
  call.outputs.targets = output_buffer(info[11], napi_int32_array, "targets", pins);
}

// A JS Error carrying the kernel's status, or nullptr when the environment can no longer run JavaScript.
napi_value status_error(napi_env env, lstm_lrp_status status, const std::string& message) {
  napi_value text = nullptr;
  napi_value error = nullptr;
  napi_value code = nullptr;
  if (napi_create_string_utf8(env, message.data(), message.size(), &text) != napi_ok ||
      napi_create_error(env, nullptr, text, &error) != napi_ok || napi_create_int32(env, status, &code) != napi_ok ||
      napi_set_named_property(env, error, "status", code) != napi_ok)
    return nullptr;
  return error;
}

// Runs one kernel call off the main thread and settles a promise with the number it produces.
// The call may end while its environment shuts down (worker.terminate(), process.exit() in a
// worker): then JavaScript cannot run, the N-API calls that would run it fail, and nobody is left
// to see the promise. Settling is skipped in that case: throwing from here would abort the process.
class TaskWorker : public Napi::AsyncWorker {
 public:
  using Task = std::function<lstm_lrp_status(double& result)>;

  TaskWorker(Napi::Env env, std::unique_ptr<Pins> pins, bool steady, Task task)
      : Napi::AsyncWorker(env), pins_(std::move(pins)), task_(std::move(task)), steady_(steady) {
    if (napi_create_promise(env, &deferred_, &promise_) != napi_ok) throw Napi::Error::New(env);
  }

  Napi::Promise promise() { return Napi::Promise(Env(), promise_); }

  void Execute() override {
    // The kernel's last error is per thread: read it on the thread that ran the call.
    const auto run = [this] {
      status_ = task_(result_);
      if (status_ != LSTM_LRP_OK) message_ = lstm_lrp_last_error();
    };
    static auto* const steady = new SteadyThreads;  // never destroyed: see SteadyThreads::take
    if (steady_)
      steady->run(run);
    else
      run();
  }

  void OnOK() override {
    if (status_ != LSTM_LRP_OK) {
      reject(status_error(Env(), status_, message_));
      return;
    }
    napi_value result = nullptr;
    if (napi_create_double(Env(), result_, &result) == napi_ok) napi_resolve_deferred(Env(), deferred_, result);
  }

  void OnError(const Napi::Error& error) override { reject(error.Value()); }

 private:
  void reject(napi_value error) {
    if (error != nullptr) napi_reject_deferred(Env(), deferred_, error);
  }

  std::unique_ptr<Pins> pins_;
  Task task_;
  bool steady_;
  napi_deferred deferred_ = nullptr;
  napi_value promise_ = nullptr;
  lstm_lrp_status status_ = LSTM_LRP_OK;
  double result_ = 0;
  std::string message_;
};

// A call of this many sequences takes milliseconds and runs on a steady thread (steady_threads.h);
// a smaller one runs where libuv put it, sparing it the handoff (two thread wake-ups, about 25 µs).
constexpr int32_t kSteadyThreadSequences = 16;

Napi::Promise queue(Napi::Env env, std::unique_ptr<Pins> pins, const lstm_lrp_batch& batch, TaskWorker::Task task) {
  auto* worker = new TaskWorker(env, std::move(pins), batch.count >= kSteadyThreadSequences, std::move(task));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// Caller buffers for every model tensor, laid out like the model description.
struct TensorOutputs {
  std::vector<lstm_lrp_layer_tensors> layers;
  lstm_lrp_tensors tensors{};
};

void read_tensor_outputs(const Napi::Value& value, int32_t dtype, TensorOutputs& out) {
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), "tensors must be an object");
  auto object = value.As<Napi::Object>();
  const napi_typedarray_type type = float_type(dtype);
  auto optional_output = [&](const Napi::Value& array, const char* name) -> lstm_lrp_output_buffer {
    lstm_lrp_input_buffer view = input_buffer(array, type, name, nullptr);
    return {const_cast<void*>(view.data), view.length};
  };
  auto layers = object.Get("layers").As<Napi::Array>();
  if (layers.Length() > LSTM_LRP_MAX_LAYERS)
    throw Napi::RangeError::New(value.Env(), "tensors has more than " + std::to_string(LSTM_LRP_MAX_LAYERS) + " layers");
  out.layers.resize(layers.Length());
  for (uint32_t l = 0; l < layers.Length(); ++l) {
    auto layer = layers.Get(l).As<Napi::Object>();
    for (uint32_t d = 0; d < 2; ++d) {
      out.layers[l].W[d] = optional_output(layer.Get("W").As<Napi::Array>().Get(d), "W");
      out.layers[l].U[d] = optional_output(layer.Get("U").As<Napi::Array>().Get(d), "U");
      out.layers[l].b[d] = optional_output(layer.Get("b").As<Napi::Array>().Get(d), "b");
      out.layers[l].b_hn[d] = optional_output(layer.Get("bHn").As<Napi::Array>().Get(d), "bHn");
    }
  }
  out.tensors.embedding = optional_output(object.Get("embedding"), "embedding");
  out.tensors.num_layers = static_cast<int32_t>(out.layers.size());
  out.tensors.layers = out.layers.data();
  out.tensors.head_weight = optional_output(object.Get("headWeight"), "headWeight");
  out.tensors.head_bias = optional_output(object.Get("headBias"), "headBias");
}

// A trainer and the model it updates, kept alive together.
class NativeTrainer : public Napi::ObjectWrap<NativeTrainer> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeTrainer",
                       {InstanceMethod("stepAsync", &NativeTrainer::step_async), InstanceMethod("dispose", &NativeTrainer::dispose)});
  }

  // Constructed by NativeModel.createTrainer: (External model handle, dtype, options).
  explicit NativeTrainer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeTrainer>(info) {
    model_ = *info[0].As<Napi::External<ModelHandle>>().Data();
    dtype_ = int_value(info[1], "dtype");
    auto options = info[2].As<Napi::Object>();
    lstm_lrp_train_options o{};
    o.loss = int_field(options, "loss");
    o.optimizer = int_field(options, "optimizer");
    o.learning_rate = number_field(options, "learningRate");
    o.beta1 = number_field(options, "beta1");
    o.beta2 = number_field(options, "beta2");
    o.epsilon = number_field(options, "epsilon");
    o.weight_decay = number_field(options, "weightDecay");
    o.clip_norm = number_field(options, "clipNorm");
    lstm_lrp_trainer* trainer = nullptr;
    const lstm_lrp_status status = lstm_lrp_trainer_create(model_.get(), &o, &trainer);
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    trainer_ = std::shared_ptr<lstm_lrp_trainer>(trainer, lstm_lrp_trainer_destroy);
  }

 private:
  // (batch, targets) → Promise<loss before the step>
  Napi::Value step_async(const Napi::CallbackInfo& info) {
    if (!trainer_) throw Napi::Error::New(info.Env(), "the trainer has been disposed");
    auto pins = std::make_unique<Pins>();
    CallArguments call;
    read_batch(info[0].As<Napi::Object>(), dtype_, call, pins.get());
    const lstm_lrp_input_buffer targets = input_buffer(info[1], napi_float64_array, "targets", pins.get());
    auto trainer = trainer_;
    auto model = model_;
    return queue(info.Env(), std::move(pins), call.batch,
                 [trainer, model, call, targets](double& loss) { return lstm_lrp_train_step(trainer.get(), &call.batch, targets, &loss); });
  }

  Napi::Value dispose(const Napi::CallbackInfo& info) {
    trainer_.reset();
    return info.Env().Undefined();
  }

  ModelHandle model_;
  std::shared_ptr<lstm_lrp_trainer> trainer_;
  int32_t dtype_ = LSTM_LRP_F32;
};

class NativeModel : public Napi::ObjectWrap<NativeModel> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeModel",
                       {InstanceMethod("predict", &NativeModel::predict), InstanceMethod("explain", &NativeModel::explain),
                        InstanceMethod("explainAsync", &NativeModel::explain_async), InstanceMethod("weights", &NativeModel::weights),
                        InstanceMethod("gradients", &NativeModel::gradients), InstanceMethod("evaluateAsync", &NativeModel::evaluate_async),
                        InstanceMethod("createTrainer", &NativeModel::create_trainer),
                        InstanceMethod("setThreads", &NativeModel::set_threads), InstanceMethod("dispose", &NativeModel::dispose)});
  }

  explicit NativeModel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeModel>(info) {
    try {
      create(info);
    } catch (const std::bad_alloc&) {
      throw Napi::Error::New(info.Env(), "out of memory while reading the model description");
    }
  }

 private:
  static constexpr uint32_t kMaxLayers = LSTM_LRP_MAX_LAYERS;

  void create(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto desc_object = info[0].As<Napi::Object>();
    lstm_lrp_model_desc desc{};
    desc.dtype = int_field(desc_object, "dtype");
    dtype_ = desc.dtype;
    const napi_typedarray_type type = float_type(dtype_);
    desc.input_size = int_field(desc_object, "inputSize");
    desc.vocab_size = int_field(desc_object, "vocabSize");
    desc.embedding = input_buffer(desc_object.Get("embedding"), type, "embedding", nullptr);
    auto layer_array = desc_object.Get("layers").As<Napi::Array>();
    if (layer_array.Length() > kMaxLayers)
      throw Napi::RangeError::New(
          env, "layers has " + std::to_string(layer_array.Length()) + " entries; at most " + std::to_string(kMaxLayers) + " are allowed");
    std::vector<lstm_lrp_layer_desc> layers(layer_array.Length());
    for (uint32_t l = 0; l < layer_array.Length(); ++l) {
      auto layer = layer_array.Get(l).As<Napi::Object>();
      auto cell = layer.Get("cell").As<Napi::Object>();
      lstm_lrp_layer_desc& d = layers[l];
      d.hidden_size = int_field(layer, "hiddenSize");
      d.bidirectional = layer.Get("bidirectional").ToBoolean().Value() ? 1 : 0;
      d.cell.type = int_field(cell, "type");
      d.cell.reset_after = cell.Get("resetAfter").ToBoolean().Value() ? 1 : 0;
      d.cell.g = int_field(cell, "g");
      d.cell.g_scale = number_field(cell, "gScale");
      d.cell.h = int_field(cell, "h");
      d.cell.h_scale = number_field(cell, "hScale");
      flags(cell, "gatePresent", d.cell.gate_present);
      flags(cell, "inputConnected", d.cell.input_connected);
      flags(cell, "recurrentConnected", d.cell.recurrent_connected);
      for (uint32_t dir = 0; dir < 2; ++dir) {
        d.W[dir] = input_buffer(layer.Get("W").As<Napi::Array>().Get(dir), type, "W", nullptr);
        d.U[dir] = input_buffer(layer.Get("U").As<Napi::Array>().Get(dir), type, "U", nullptr);
        d.b[dir] = input_buffer(layer.Get("b").As<Napi::Array>().Get(dir), type, "b", nullptr);
        d.b_hn[dir] = input_buffer(layer.Get("bHn").As<Napi::Array>().Get(dir), type, "bHn", nullptr);
      }
    }
    desc.num_layers = static_cast<int32_t>(layers.size());
    desc.layers = layers.data();
    desc.outputs = int_field(desc_object, "outputs");
    desc.head_weight = input_buffer(desc_object.Get("headWeight"), type, "headWeight", nullptr);
    desc.head_bias = input_buffer(desc_object.Get("headBias"), type, "headBias", nullptr);
    desc.readout = int_field(desc_object, "readout");
    desc.input_projection_table = int_field(desc_object, "inputProjectionTable");

    lstm_lrp_model* model = nullptr;
    const lstm_lrp_status status = lstm_lrp_model_create(&desc, &model);
    if (status != LSTM_LRP_OK) throw_status(env, status);
    model_ = ModelHandle(model, lstm_lrp_model_destroy);
  }

  const ModelHandle& live_model(Napi::Env env) const {
    if (!model_) throw Napi::Error::New(env, "the model has been disposed");
    return model_;
  }

  Napi::Value set_threads(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    const lstm_lrp_status status = lstm_lrp_model_set_threads(model.get(), info[0].As<Napi::Number>().Int32Value());
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    return info.Env().Undefined();
  }

  Napi::Value predict(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    CallArguments call;
    read_batch(info[0].As<Napi::Object>(), dtype_, call, nullptr);
    call.scores = output_buffer(info[1], float_type(dtype_), "scores", nullptr);
    lstm_lrp_input_buffer probabilities = input_buffer(info[2], napi_float64_array, "probabilities", nullptr);
    call.probabilities = {const_cast<void*>(probabilities.data), probabilities.length};
    const lstm_lrp_status status = lstm_lrp_predict(model.get(), &call.batch, call.scores, call.probabilities);
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    return info.Env().Undefined();
  }

  Napi::Value explain(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    CallArguments call;
    read_explain(info, dtype_, call, nullptr);
    const lstm_lrp_status status = lstm_lrp_explain(model.get(), &call.options, &call.batch, call.target_weights, &call.outputs);
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    return info.Env().Undefined();
  }

  Napi::Value explain_async(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    auto pins = std::make_unique<Pins>();
    CallArguments call;
    read_explain(info, dtype_, call, pins.get());
    ModelHandle keep = model;  // work in flight keeps the model alive through dispose()
    return queue(info.Env(), std::move(pins), call.batch, [keep, call](double&) {
      return lstm_lrp_explain(keep.get(), &call.options, &call.batch, call.target_weights, &call.outputs);
    });
  }

  // (tensors) → copies the current weights into them
  Napi::Value weights(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    TensorOutputs out;
    read_tensor_outputs(info[0], dtype_, out);
    const lstm_lrp_status status = lstm_lrp_model_weights(model.get(), &out.tensors);
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    return info.Env().Undefined();
  }

  // (batch, loss, targets, tensors) → mean loss; the gradients land in tensors
  Napi::Value gradients(const Napi::CallbackInfo& info) {
    const ModelHandle& model = live_model(info.Env());
    CallArguments call;
    read_batch(info[0].As<Napi::Object>(), dtype_, call, nullptr);
    const int32_t loss = int_value(info[1], "loss");
    const lstm_lrp_input_buffer targets = input_buffer(info[2], napi_float64_array, "targets", nullptr);
    TensorOutputs out;
    read_tensor_outputs(info[3], dtype_, out);
    double mean_loss = 0;
    const lstm_lrp_status status = lstm_lrp_gradients(model.get(), &call.batch, loss, targets, &mean_loss, &out.tensors);
    if (status != LSTM_LRP_OK) throw_status(info.Env(), status);
    return Napi::Number::New(info.Env(), mean_loss);
  }

  // (batch, loss, targets, correct: Float64Array(1)) → Promise<mean loss>; correct[0] gets the right argmax count
  Napi::Value evaluate_async(const Napi::CallbackInfo& info) {
    ModelHandle model = live_model(info.Env());
    auto pins = std::make_unique<Pins>();
    CallArguments call;
    read_batch(info[0].As<Napi::Object>(), dtype_, call, pins.get());
    const int32_t loss = int_value(info[1], "loss");
    const lstm_lrp_input_buffer targets = input_buffer(info[2], napi_float64_array, "targets", pins.get());
    const lstm_lrp_output_buffer correct = output_buffer(info[3], napi_float64_array, "correct", pins.get());
    if (correct.length != 1) throw Napi::RangeError::New(info.Env(), "correct must hold one number");
    return queue(info.Env(), std::move(pins), call.batch, [model, call, loss, targets, correct](double& mean_loss) {
      int64_t right = 0;
      const lstm_lrp_status status = lstm_lrp_evaluate(model.get(), &call.batch, loss, targets, &mean_loss, &right);
      *static_cast<double*>(correct.data) = static_cast<double>(right);
      return status;
    });
  }

  // (options) → NativeTrainer over this model
  Napi::Value create_trainer(const Napi::CallbackInfo& info) {
    ModelHandle model = live_model(info.Env());
    auto* constructor = info.Env().GetInstanceData<Napi::FunctionReference>();
    return constructor->New({Napi::External<ModelHandle>::New(info.Env(), &model), Napi::Number::New(info.Env(), dtype_), info[0]});
  }

  Napi::Value dispose(const Napi::CallbackInfo& info) {
    model_.reset();  // work in flight keeps its own reference
    return info.Env().Undefined();
  }

  ModelHandle model_;
  int32_t dtype_ = LSTM_LRP_F32;
};

Napi::Object info(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("simd", lstm_lrp_isa());
  result.Set("abiVersion", lstm_lrp_abi_version());
  return result;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", NativeModel::define(env));
  env.SetInstanceData(new Napi::FunctionReference(Napi::Persistent(NativeTrainer::define(env))));
  exports.Set("info", Napi::Function::New(env, [](const Napi::CallbackInfo& call) { return info(call.Env()); }));
  exports.Set("selectIsa", Napi::Function::New(env, [](const Napi::CallbackInfo& call) {
                if (!call[0].IsString()) throw Napi::TypeError::New(call.Env(), "the ISA name must be a string");
                const lstm_lrp_status status = lstm_lrp_select_isa(call[0].As<Napi::String>().Utf8Value().c_str());
                if (status != LSTM_LRP_OK) throw_status(call.Env(), status);
                return call.Env().Undefined();
              }));
  return exports;
}

}  // namespace

NODE_API_MODULE(lstm_lrp, init)
