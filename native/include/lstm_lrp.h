/* lstm-lrp C ABI: the only surface the N-API and WASM bindings see.
 * Plain structs, pointers and sizes; every call returns a status code and
 * never throws. On failure lstm_lrp_last_error() names the problem. */
#ifndef LSTM_LRP_H
#define LSTM_LRP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  LSTM_LRP_OK = 0,
  LSTM_LRP_INVALID_ARGUMENT = 1,
  LSTM_LRP_OUT_OF_MEMORY = 2,
  LSTM_LRP_INTERNAL_ERROR = 3,
  /* A result (score, probability, relevance, gradient, loss, weight) came out infinite or NaN:
   * finite but extreme weights, inputs, scales or eps overflowed the arithmetic. */
  LSTM_LRP_NUMERIC_ERROR = 4
} lstm_lrp_status;

typedef enum { LSTM_LRP_F32 = 0, LSTM_LRP_F64 = 1 } lstm_lrp_dtype;

/* A caller-owned array and its length in elements; the kernel checks every
 * length against the shape it expects before reading. data NULL = absent. */
typedef struct {
  const void* data;
  int64_t length;
} lstm_lrp_input_buffer;

typedef struct {
  void* data;
  int64_t length;
} lstm_lrp_output_buffer;

/* Cell input activation g, scaled by g_scale. */
typedef enum { LSTM_LRP_G_TANH = 0, LSTM_LRP_G_SIGMOID = 1, LSTM_LRP_G_RELU = 2, LSTM_LRP_G_IDENTITY = 3 } lstm_lrp_g_activation;

/* Cell state activation h, scaled by h_scale. */
typedef enum { LSTM_LRP_H_TANH = 0, LSTM_LRP_H_IDENTITY = 1 } lstm_lrp_h_activation;

/* The cell of a layer. */
typedef enum { LSTM_LRP_CELL_LSTM = 0, LSTM_LRP_CELL_GRU = 1 } lstm_lrp_cell_type;

/* Gate blocks are stored in this order in W, U and b. */
enum { LSTM_LRP_BLOCK_Z = 0, LSTM_LRP_BLOCK_I = 1, LSTM_LRP_BLOCK_F = 2, LSTM_LRP_BLOCK_O = 3 };

/* A GRU's blocks (reset, update, candidate), in this order in W, U and b. */
enum { LSTM_LRP_GRU_BLOCK_R = 0, LSTM_LRP_GRU_BLOCK_U = 1, LSTM_LRP_GRU_BLOCK_N = 2 };

/* g_scale and h_scale are in (0, LSTM_LRP_MAX_CELL_SCALE]: larger scales only overflow. */
enum { LSTM_LRP_MAX_CELL_SCALE = 1000 };

/* Bounds of a model description: anything larger is a corrupt or hostile file, not a model.
 * Widths are input_size, hidden_size and outputs. */
enum { LSTM_LRP_MAX_LAYERS = 64, LSTM_LRP_MAX_WIDTH = 65536, LSTM_LRP_MAX_VOCAB = 50000000 };

/* A GRU (type LSTM_LRP_CELL_GRU) ignores every field but type and reset_after. */
typedef struct {
  int32_t type;        /* lstm_lrp_cell_type */
  int32_t reset_after; /* GRU: 1 applies the reset gate after U_n (b_hn present), 0 before it */
  int32_t g;           /* lstm_lrp_g_activation */
  double g_scale;
  int32_t h; /* lstm_lrp_h_activation */
  double h_scale;
  uint8_t gate_present[4];        /* indexed by block; [Z] is ignored (always 1) */
  uint8_t input_connected[4];     /* W block in use */
  uint8_t recurrent_connected[4]; /* U block in use */
} lstm_lrp_cell;

/* One layer. Weights are in the model dtype, row-major:
 * W [4H, I], U [4H, H], b [4H] (a GRU: [3H, I], [3H, H], [3H], and b_hn [H] with reset_after,
 * data NULL otherwise); direction 0 = forward, 1 = backward. */
typedef struct {
  int32_t hidden_size;
  int32_t bidirectional;
  lstm_lrp_cell cell;
  lstm_lrp_input_buffer W[2];
  lstm_lrp_input_buffer U[2];
  lstm_lrp_input_buffer b[2];
  lstm_lrp_input_buffer b_hn[2];
} lstm_lrp_layer_desc;

typedef enum { LSTM_LRP_READOUT_LAST = 0, LSTM_LRP_READOUT_EACH = 1 } lstm_lrp_readout;

/* Token models keep the first layer's input projections b + W·e_v of every vocabulary row
 * (per direction, [vocab_size, 4H], a GRU's [vocab_size, 3H]) and look them up instead of multiplying, when the table
 * takes at most LSTM_LRP_INPUT_PROJECTION_TABLE_BYTES and fits the memory limit. Results are
 * the same bits with and without it; OFF saves its memory. */
#define LSTM_LRP_INPUT_PROJECTION_TABLE_BYTES 67108864
typedef enum { LSTM_LRP_PROJECTION_TABLE_AUTO = 0, LSTM_LRP_PROJECTION_TABLE_OFF = 1 } lstm_lrp_input_projection_table;

typedef struct {
  int32_t dtype;                   /* lstm_lrp_dtype of every weight pointer */
  int32_t input_size;              /* width of x_t (the embedding width with an embedding) */
  int32_t vocab_size;              /* 0: no embedding */
  lstm_lrp_input_buffer embedding; /* [vocab_size, input_size] */
  int32_t num_layers;
  const lstm_lrp_layer_desc* layers;
  int32_t outputs;                   /* C */
  lstm_lrp_input_buffer head_weight; /* [C, D], D = top layer width (H or 2H) */
  lstm_lrp_input_buffer head_bias;   /* [C], or data NULL for no bias */
  int32_t readout;                   /* lstm_lrp_readout */
  int32_t input_projection_table;    /* lstm_lrp_input_projection_table */
} lstm_lrp_model_desc;

typedef struct lstm_lrp_model lstm_lrp_model;

/* A batch of variable-length sequences, concatenated step by step.
 * Exactly one of inputs ([sum(lengths), input_size], model dtype) and
 * tokens ([sum(lengths)] int32, needs an embedding) is present. */
typedef struct {
  int32_t count;
  const int32_t* lengths; /* [count] */
  lstm_lrp_input_buffer inputs;
  lstm_lrp_input_buffer tokens;
} lstm_lrp_batch;

typedef enum {
  LSTM_LRP_METHOD_LRP = 0,
  LSTM_LRP_METHOD_GRADIENT = 1,
  LSTM_LRP_METHOD_GRADIENT_X_INPUT = 2,
  LSTM_LRP_METHOD_OCCLUSION = 3,
  LSTM_LRP_METHOD_CD = 4,
  LSTM_LRP_METHOD_INTEGRATED_GRADIENTS = 5,
  LSTM_LRP_METHOD_SHAPLEY = 6,
  LSTM_LRP_METHOD_KERNEL_SHAP = 7,
  LSTM_LRP_METHOD_LIME = 8,
  LSTM_LRP_METHOD_SMOOTHGRAD = 9
} lstm_lrp_method;

typedef enum { LSTM_LRP_RULE_ALL = 0, LSTM_LRP_RULE_PROP = 1, LSTM_LRP_RULE_ABS = 2, LSTM_LRP_RULE_HALF = 3 } lstm_lrp_product_rule;

/* Gated products, indexing product_rule and product_eps: the LSTM's three and the GRU's
 * update (both summands of h = (1 - u)⊙n + u⊙h') and reset (r⊙q, or r⊙h' before U_n). */
enum {
  LSTM_LRP_PRODUCT_INPUT = 0,
  LSTM_LRP_PRODUCT_FORGET = 1,
  LSTM_LRP_PRODUCT_OUTPUT = 2,
  LSTM_LRP_PRODUCT_UPDATE = 3,
  LSTM_LRP_PRODUCT_RESET = 4,
  LSTM_LRP_PRODUCTS = 5
};

/* LOGIT: R = w ⊙ scores; ONE: R = w (w = target weights, so a caller-given
 * initial relevance vector is ONE with w set to that vector). */
typedef enum { LSTM_LRP_INIT_LOGIT = 0, LSTM_LRP_INIT_ONE = 1 } lstm_lrp_init;

typedef enum { LSTM_LRP_SCORE_LOGIT = 0, LSTM_LRP_SCORE_PROB = 1 } lstm_lrp_occlusion_score;

typedef enum { LSTM_LRP_REPLACE_ZERO = 0, LSTM_LRP_REPLACE_VECTOR = 1, LSTM_LRP_REPLACE_DELETE = 2 } lstm_lrp_occlusion_replacement;

/* Contextual Decomposition: the steps of a phrase [start, stop) whose bias × bias term of
 * i⊙z counts as relevant. REFERENCE: start ≤ t < stop − 1, as Murdoch et al.'s code (whose
 * phrase end is inclusive: its `start ≤ t < stop` leaves out the phrase's last step);
 * INCLUSIVE: start ≤ t < stop, every step of the phrase. */
typedef enum { LSTM_LRP_CD_REFERENCE = 0, LSTM_LRP_CD_INCLUSIVE = 1 } lstm_lrp_cd_convention;

/* Integrated Gradients' quadrature of the path integral over α in [0, 1]. */
typedef enum { LSTM_LRP_IG_MIDPOINT = 0, LSTM_LRP_IG_GAUSS_LEGENDRE = 1 } lstm_lrp_ig_rule;

enum { LSTM_LRP_IG_MAX_STEPS = 4096 };

/* The sampling methods (Shapley value sampling, KernelSHAP, LIME, SmoothGrad): at most this
 * many samples per sequence; exact Shapley values for sequences of at most this many steps. */
enum { LSTM_LRP_MAX_SAMPLES = 65536, LSTM_LRP_SHAPLEY_EXACT_MAX_STEPS = 16 };

typedef struct {
  int32_t method;                          /* lstm_lrp_method */
  double eps;                              /* >= 0 */
  double bias_factor;                      /* in [0, 1] */
  int32_t product_rule[LSTM_LRP_PRODUCTS]; /* lstm_lrp_product_rule per product */
  double product_eps[LSTM_LRP_PRODUCTS];   /* >= 0 per product */
  int32_t init;                            /* lstm_lrp_init */
  int32_t occlusion_score;                 /* lstm_lrp_occlusion_score */
  int32_t occlusion_replacement;           /* lstm_lrp_occlusion_replacement */
  lstm_lrp_input_buffer occlusion_vector;  /* [input_size], model dtype, for REPLACE_VECTOR */
  int32_t cd_convention;                   /* lstm_lrp_cd_convention */
  int32_t cd_phrase_start;                 /* CD phrase [start, stop) of steps; both 0: one score per step */
  int32_t cd_phrase_stop;
  int32_t ig_steps;                  /* path points, 1..LSTM_LRP_IG_MAX_STEPS */
  int32_t ig_rule;                   /* lstm_lrp_ig_rule */
  lstm_lrp_input_buffer ig_baseline; /* [input_size], model dtype, at every step; data NULL: zeros */
  int32_t samples;                   /* sampling methods: 1..LSTM_LRP_MAX_SAMPLES (Shapley: permutations, even) */
  uint32_t seed;                     /* sampling methods: the generator's seed, the same for every sequence */
  int32_t shapley_exact;             /* 1: every coalition (sequences up to LSTM_LRP_SHAPLEY_EXACT_MAX_STEPS) */
  double lime_kernel_width;          /* > 0: width of LIME's exponential kernel over the removed fraction */
  double lime_ridge;                 /* >= 0: LIME's ridge penalty */
  double smoothgrad_noise;           /* >= 0: SmoothGrad's noise standard deviation, in input units */
  int32_t smoothgrad_base;           /* lstm_lrp_method: GRADIENT, GRADIENT_X_INPUT or INTEGRATED_GRADIENTS */
} lstm_lrp_explain_options;

/* The numeric explain options packed as float64 values, in this order: how both bindings
 * take them (one typed array instead of a field per option). Integer options must be exact
 * 32-bit integers. The two vectors (occlusion_vector, ig_baseline) travel separately. */
enum {
  LSTM_LRP_PACKED_METHOD = 0,
  LSTM_LRP_PACKED_EPS = 1,
  LSTM_LRP_PACKED_BIAS_FACTOR = 2,
  LSTM_LRP_PACKED_PRODUCT_RULE = 3, /* 5 values, by LSTM_LRP_PRODUCT_* */
  LSTM_LRP_PACKED_PRODUCT_EPS = 8,  /* 5 values, by LSTM_LRP_PRODUCT_* */
  LSTM_LRP_PACKED_INIT = 13,
  LSTM_LRP_PACKED_OCCLUSION_SCORE = 14,
  LSTM_LRP_PACKED_OCCLUSION_REPLACEMENT = 15,
  LSTM_LRP_PACKED_CD_CONVENTION = 16,
  LSTM_LRP_PACKED_CD_PHRASE_START = 17,
  LSTM_LRP_PACKED_CD_PHRASE_STOP = 18,
  LSTM_LRP_PACKED_IG_STEPS = 19,
  LSTM_LRP_PACKED_IG_RULE = 20,
  LSTM_LRP_PACKED_SAMPLES = 21,
  LSTM_LRP_PACKED_SEED = 22,
  LSTM_LRP_PACKED_SHAPLEY_EXACT = 23,
  LSTM_LRP_PACKED_LIME_KERNEL_WIDTH = 24,
  LSTM_LRP_PACKED_LIME_RIDGE = 25,
  LSTM_LRP_PACKED_SMOOTHGRAD_NOISE = 26,
  LSTM_LRP_PACKED_SMOOTHGRAD_BASE = 27,
  LSTM_LRP_PACKED_OPTIONS_SIZE = 28
};

/* Conservation report, per sequence, in this order. */
enum {
  LSTM_LRP_CONSERVATION_INPUT = 0,    /* relevance put in at the outputs */
  LSTM_LRP_CONSERVATION_INPUTS = 1,   /* sum of the input relevance */
  LSTM_LRP_CONSERVATION_ABSORBED = 2, /* biases, stabilisers, zero denominators */
  LSTM_LRP_CONSERVATION_INITIAL = 3,  /* reached c_0 and y_0 */
  LSTM_LRP_CONSERVATION_SIZE = 4
};

/* The same four fields for CD with a phrase: score = relevant + irrelevant + bias. */
enum {
  LSTM_LRP_CD_SCORE = 0,      /* f = Σ w ⊙ scores */
  LSTM_LRP_CD_RELEVANT = 1,   /* Σ w ⊙ (W_head β), β the phrase's part of the head input */
  LSTM_LRP_CD_IRRELEVANT = 2, /* Σ w ⊙ (W_head γ), γ the rest */
  LSTM_LRP_CD_BIAS = 3        /* Σ w ⊙ head bias */
};

/* ... and the completeness report (field 3 is 0) of integrated gradients, of SmoothGrad over
 * integrated gradients (each field the mean over the noisy copies) and of Shapley values and
 * KernelSHAP (the baseline is the sequence with every step removed; delta is rounding). */
enum {
  LSTM_LRP_IG_DIFFERENCE = 0, /* f(x) − f(baseline) */
  LSTM_LRP_IG_SUM = 1,        /* Σ input relevance */
  LSTM_LRP_IG_DELTA = 2       /* difference − sum: the quadrature's completeness error */
};

/* Outputs of explain; all arrays are caller-allocated.
 * scores: [count, C] (readout last) or [sum(lengths), C] (readout each), model dtype
 * relevance: [sum(lengths), input_size], model dtype
 * per_step: [sum(lengths)], model dtype
 * conservation: [count, 4] float64: the LRP conservation report, the CD phrase report or
 *   the completeness report (zeros for the other methods and for CD without a phrase)
 * targets: [count] int32, the predicted class (the argmax of the sequence's last score row),
 *   which is the class explained when no target weights are given; may be absent */
typedef struct {
  lstm_lrp_output_buffer scores;
  lstm_lrp_output_buffer relevance;
  lstm_lrp_output_buffer per_step;
  lstm_lrp_output_buffer conservation;
  lstm_lrp_output_buffer targets;
} lstm_lrp_explain_outputs;

const char* lstm_lrp_last_error(void);

/* The SIMD instruction set the kernels run on: "avx512", "avx2", "sse2", "neon", "simd128" or "scalar".
 * The best one the CPU supports is chosen at load; select_isa forces another (for tests,
 * or CPUs that misreport), failing with a message that lists the supported ones. */
const char* lstm_lrp_isa(void);

/* The version of this interface: its structs, its functions' parameters and the bindings' call
 * layouts over them. It changes whenever any of them does, so that a binding built from other
 * sources (a stale prebuild or local build, a cached .wasm) is refused when it is loaded instead
 * of misreading its arguments. */
#define LSTM_LRP_ABI_VERSION 4
int32_t lstm_lrp_abi_version(void);
lstm_lrp_status lstm_lrp_select_isa(const char* name);

lstm_lrp_status lstm_lrp_model_create(const lstm_lrp_model_desc* desc, lstm_lrp_model** out);
void lstm_lrp_model_destroy(lstm_lrp_model* model);

/* Threads that predict and explain on this model split each batch across (default 1; 0: one
 * per hardware thread; at most LSTM_LRP_MAX_THREADS). Results do not depend on it. Helper
 * threads come from one process-wide pool shared by all models. Builds without threads
 * (WASM) accept the setting and run on the calling thread. */
#define LSTM_LRP_MAX_THREADS 256
lstm_lrp_status lstm_lrp_model_set_threads(lstm_lrp_model* model, int32_t threads);

/* scores: [count, C] (readout last) or [sum(lengths), C] (readout each), model dtype.
 * probabilities: float64, the softmax of each score row, same shape; may be absent. */
lstm_lrp_status lstm_lrp_predict(const lstm_lrp_model* model, const lstm_lrp_batch* batch, lstm_lrp_output_buffer scores,
                                 lstm_lrp_output_buffer probabilities);

/* target_weights (float64): the explained output f = Σ w ⊙ scores, one row
 * per score row ([count, C] or [sum(lengths), C]). Absent: each sequence's
 * argmax class (readout each: the argmax at its last step). */
lstm_lrp_status lstm_lrp_explain(const lstm_lrp_model* model, const lstm_lrp_explain_options* options, const lstm_lrp_batch* batch,
                                 lstm_lrp_input_buffer target_weights, const lstm_lrp_explain_outputs* outputs);

/* Fills the numeric fields of *options from `count` packed values (LSTM_LRP_PACKED_*; count
 * must be LSTM_LRP_PACKED_OPTIONS_SIZE); its vectors are left as they were. Ranges are
 * checked by lstm_lrp_explain. */
lstm_lrp_status lstm_lrp_unpack_explain_options(const double* values, int64_t count, lstm_lrp_explain_options* options);

/* ---- Training (docs/METHODS.md § Training) ---- */

typedef enum { LSTM_LRP_LOSS_MSE = 0, LSTM_LRP_LOSS_CROSS_ENTROPY = 1 } lstm_lrp_loss;

typedef enum { LSTM_LRP_OPTIMIZER_ADAM = 0, LSTM_LRP_OPTIMIZER_ADAGRAD = 1 } lstm_lrp_optimizer;

/* Targets of a batch (float64), one entry per score row for cross-entropy (the class index),
 * C per score row for mean squared error. The loss is the mean over score rows (MSE: also
 * over outputs). */

typedef struct {
  int32_t loss;         /* lstm_lrp_loss */
  int32_t optimizer;    /* lstm_lrp_optimizer */
  double learning_rate; /* > 0 */
  double beta1;         /* Adam, in [0, 1) */
  double beta2;         /* Adam, in [0, 1) */
  double epsilon;       /* > 0 */
  double weight_decay;  /* >= 0: L2 term added to every gradient */
  double clip_norm;     /* > 0: clip the global gradient norm to it; 0: no clipping */
} lstm_lrp_train_options;

/* One buffer per model tensor, in the layout of lstm_lrp_model_desc (model dtype).
 * Absent tensors (no embedding, backward direction, head bias) have data NULL. */
typedef struct {
  lstm_lrp_output_buffer W[2];
  lstm_lrp_output_buffer U[2];
  lstm_lrp_output_buffer b[2];
  lstm_lrp_output_buffer b_hn[2];
} lstm_lrp_layer_tensors;

typedef struct {
  lstm_lrp_output_buffer embedding;
  int32_t num_layers;
  const lstm_lrp_layer_tensors* layers;
  lstm_lrp_output_buffer head_weight;
  lstm_lrp_output_buffer head_bias;
} lstm_lrp_tensors;

typedef struct lstm_lrp_trainer lstm_lrp_trainer;

/* Copies the model's current weights out. */
lstm_lrp_status lstm_lrp_model_weights(const lstm_lrp_model* model, const lstm_lrp_tensors* out);

/* Mean loss of a batch and, for cross-entropy, how many score rows the argmax gets right. */
lstm_lrp_status lstm_lrp_evaluate(const lstm_lrp_model* model, const lstm_lrp_batch* batch, int32_t loss, lstm_lrp_input_buffer targets,
                                  double* loss_out, int64_t* correct_out);

/* Mean loss of a batch and its gradient with respect to every parameter. */
lstm_lrp_status lstm_lrp_gradients(const lstm_lrp_model* model, const lstm_lrp_batch* batch, int32_t loss, lstm_lrp_input_buffer targets,
                                   double* loss_out, const lstm_lrp_tensors* gradients);

/* A trainer updates its model's weights in place; the model must outlive it and must not
 * be used by other calls while a step runs. */
lstm_lrp_status lstm_lrp_trainer_create(lstm_lrp_model* model, const lstm_lrp_train_options* options, lstm_lrp_trainer** out);
void lstm_lrp_trainer_destroy(lstm_lrp_trainer* trainer);

/* One optimiser step on a mini-batch; loss_out gets the batch's mean loss before the step. */
lstm_lrp_status lstm_lrp_train_step(lstm_lrp_trainer* trainer, const lstm_lrp_batch* batch, lstm_lrp_input_buffer targets,
                                    double* loss_out);

/* The WebAssembly module's calls (bindings/wasm/abi.cc): JavaScript cannot build C structs
 * portably, so each takes one float64 array of fields, at these positions. A buffer is two
 * fields (pointer, length), a flag one field; pointers and lengths fit a double exactly on wasm32.
 * Every call but trainer_create starts with a batch. */
enum {
  LSTM_LRP_WASM_BATCH_COUNT = 0,
  LSTM_LRP_WASM_BATCH_LENGTHS = 1, /* pointer to count int32 values */
  LSTM_LRP_WASM_BATCH_INPUTS = 2,  /* buffer */
  LSTM_LRP_WASM_BATCH_TOKENS = 4,  /* buffer */
  LSTM_LRP_WASM_BATCH_SIZE = 6
};

/* lstm_lrp_wasm_model_create: the model, then LSTM_LRP_WASM_LAYER_SIZE fields per layer. */
enum {
  LSTM_LRP_WASM_MODEL_DTYPE = 0,
  LSTM_LRP_WASM_MODEL_INPUT_SIZE = 1,
  LSTM_LRP_WASM_MODEL_VOCAB_SIZE = 2,
  LSTM_LRP_WASM_MODEL_EMBEDDING = 3, /* buffer */
  LSTM_LRP_WASM_MODEL_NUM_LAYERS = 5,
  LSTM_LRP_WASM_MODEL_OUTPUTS = 6,
  LSTM_LRP_WASM_MODEL_HEAD_WEIGHT = 7, /* buffer */
  LSTM_LRP_WASM_MODEL_HEAD_BIAS = 9,   /* buffer */
  LSTM_LRP_WASM_MODEL_READOUT = 11,
  LSTM_LRP_WASM_MODEL_INPUT_PROJECTION_TABLE = 12,
  LSTM_LRP_WASM_MODEL_SIZE = 13
};

/* A layer of lstm_lrp_wasm_model_create, from its first field. */
enum {
  LSTM_LRP_WASM_LAYER_HIDDEN_SIZE = 0,
  LSTM_LRP_WASM_LAYER_BIDIRECTIONAL = 1,
  LSTM_LRP_WASM_LAYER_G = 2,
  LSTM_LRP_WASM_LAYER_G_SCALE = 3,
  LSTM_LRP_WASM_LAYER_H = 4,
  LSTM_LRP_WASM_LAYER_H_SCALE = 5,
  LSTM_LRP_WASM_LAYER_GATE_PRESENT = 6,         /* 4 flags, by LSTM_LRP_BLOCK_* */
  LSTM_LRP_WASM_LAYER_INPUT_CONNECTED = 10,     /* 4 flags */
  LSTM_LRP_WASM_LAYER_RECURRENT_CONNECTED = 14, /* 4 flags */
  LSTM_LRP_WASM_LAYER_W = 18,                   /* 2 buffers: forward, backward */
  LSTM_LRP_WASM_LAYER_U = 22,                   /* 2 buffers */
  LSTM_LRP_WASM_LAYER_B = 26,                   /* 2 buffers */
  LSTM_LRP_WASM_LAYER_TYPE = 30,
  LSTM_LRP_WASM_LAYER_RESET_AFTER = 31,
  LSTM_LRP_WASM_LAYER_B_HN = 32, /* 2 buffers */
  LSTM_LRP_WASM_LAYER_SIZE = 36
};

/* lstm_lrp_wasm_predict: the batch, then its outputs. */
enum {
  LSTM_LRP_WASM_PREDICT_SCORES = 6,        /* buffer */
  LSTM_LRP_WASM_PREDICT_PROBABILITIES = 8, /* buffer */
  LSTM_LRP_WASM_PREDICT_SIZE = 10
};

/* lstm_lrp_wasm_explain: the batch, the packed options, their vectors, the target weights, the outputs. */
enum {
  LSTM_LRP_WASM_EXPLAIN_OPTIONS = 6,           /* LSTM_LRP_PACKED_OPTIONS_SIZE values */
  LSTM_LRP_WASM_EXPLAIN_OCCLUSION_VECTOR = 34, /* buffer */
  LSTM_LRP_WASM_EXPLAIN_IG_BASELINE = 36,      /* buffer */
  LSTM_LRP_WASM_EXPLAIN_TARGET_WEIGHTS = 38,   /* buffer */
  LSTM_LRP_WASM_EXPLAIN_SCORES = 40,           /* buffer */
  LSTM_LRP_WASM_EXPLAIN_RELEVANCE = 42,        /* buffer */
  LSTM_LRP_WASM_EXPLAIN_PER_STEP = 44,         /* buffer */
  LSTM_LRP_WASM_EXPLAIN_CONSERVATION = 46,     /* buffer */
  LSTM_LRP_WASM_EXPLAIN_TARGETS = 48,          /* buffer */
  LSTM_LRP_WASM_EXPLAIN_SIZE = 50
};

/* A set of tensors (lstm_lrp_wasm_model_weights; the end of lstm_lrp_wasm_gradients): the
 * embedding, LSTM_LRP_WASM_TENSOR_LAYER_SIZE fields per layer, then the head's. */
enum {
  LSTM_LRP_WASM_TENSORS_EMBEDDING = 0, /* buffer */
  LSTM_LRP_WASM_TENSORS_NUM_LAYERS = 2,
  LSTM_LRP_WASM_TENSORS_LAYERS = 3
};
enum {
  LSTM_LRP_WASM_TENSOR_LAYER_W = 0,     /* 2 buffers: forward, backward */
  LSTM_LRP_WASM_TENSOR_LAYER_U = 4,     /* 2 buffers */
  LSTM_LRP_WASM_TENSOR_LAYER_B = 8,     /* 2 buffers */
  LSTM_LRP_WASM_TENSOR_LAYER_B_HN = 12, /* 2 buffers */
  LSTM_LRP_WASM_TENSOR_LAYER_SIZE = 16
};
enum {
  LSTM_LRP_WASM_TENSOR_HEAD_WEIGHT = 0, /* buffer */
  LSTM_LRP_WASM_TENSOR_HEAD_BIAS = 2,   /* buffer */
  LSTM_LRP_WASM_TENSOR_HEAD_SIZE = 4
};

/* lstm_lrp_wasm_gradients and lstm_lrp_wasm_evaluate: the batch, the loss and its targets;
 * gradients' tensors follow. lstm_lrp_wasm_train_step: the batch and its targets. */
enum {
  LSTM_LRP_WASM_LOSS_LOSS = 6,
  LSTM_LRP_WASM_LOSS_TARGETS = 7, /* buffer */
  LSTM_LRP_WASM_LOSS_SIZE = 9
};
enum {
  LSTM_LRP_WASM_STEP_TARGETS = 6, /* buffer */
  LSTM_LRP_WASM_STEP_SIZE = 8
};

/* lstm_lrp_wasm_trainer_create: lstm_lrp_train_options. */
enum {
  LSTM_LRP_WASM_TRAINER_LOSS = 0,
  LSTM_LRP_WASM_TRAINER_OPTIMIZER = 1,
  LSTM_LRP_WASM_TRAINER_LEARNING_RATE = 2,
  LSTM_LRP_WASM_TRAINER_BETA1 = 3,
  LSTM_LRP_WASM_TRAINER_BETA2 = 4,
  LSTM_LRP_WASM_TRAINER_EPSILON = 5,
  LSTM_LRP_WASM_TRAINER_WEIGHT_DECAY = 6,
  LSTM_LRP_WASM_TRAINER_CLIP_NORM = 7,
  LSTM_LRP_WASM_TRAINER_SIZE = 8
};

#ifdef __cplusplus
}
#endif

#endif
