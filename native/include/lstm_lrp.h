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
  LSTM_LRP_INTERNAL_ERROR = 3
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
typedef enum {
  LSTM_LRP_G_TANH = 0,
  LSTM_LRP_G_SIGMOID = 1,
  LSTM_LRP_G_RELU = 2,
  LSTM_LRP_G_IDENTITY = 3
} lstm_lrp_g_activation;

/* Cell state activation h, scaled by h_scale. */
typedef enum { LSTM_LRP_H_TANH = 0, LSTM_LRP_H_IDENTITY = 1 } lstm_lrp_h_activation;

/* Gate blocks are stored in this order in W, U and b. */
enum { LSTM_LRP_BLOCK_Z = 0, LSTM_LRP_BLOCK_I = 1, LSTM_LRP_BLOCK_F = 2, LSTM_LRP_BLOCK_O = 3 };

typedef struct {
  int32_t g;              /* lstm_lrp_g_activation */
  double g_scale;
  int32_t h;              /* lstm_lrp_h_activation */
  double h_scale;
  uint8_t gate_present[4];        /* indexed by block; [Z] is ignored (always 1) */
  uint8_t input_connected[4];     /* W block in use */
  uint8_t recurrent_connected[4]; /* U block in use */
} lstm_lrp_cell;

/* One layer. Weights are in the model dtype, row-major:
 * W [4H, I], U [4H, H], b [4H]; direction 0 = forward, 1 = backward. */
typedef struct {
  int32_t hidden_size;
  int32_t bidirectional;
  lstm_lrp_cell cell;
  lstm_lrp_input_buffer W[2];
  lstm_lrp_input_buffer U[2];
  lstm_lrp_input_buffer b[2];
} lstm_lrp_layer_desc;

typedef enum { LSTM_LRP_READOUT_LAST = 0, LSTM_LRP_READOUT_EACH = 1 } lstm_lrp_readout;

typedef struct {
  int32_t dtype;          /* lstm_lrp_dtype of every weight pointer */
  int32_t input_size;     /* width of x_t (the embedding width with an embedding) */
  int32_t vocab_size;     /* 0: no embedding */
  lstm_lrp_input_buffer embedding; /* [vocab_size, input_size] */
  int32_t num_layers;
  const lstm_lrp_layer_desc* layers;
  int32_t outputs;        /* C */
  lstm_lrp_input_buffer head_weight; /* [C, D], D = top layer width (H or 2H) */
  lstm_lrp_input_buffer head_bias;   /* [C], or data NULL for no bias */
  int32_t readout;        /* lstm_lrp_readout */
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
  LSTM_LRP_METHOD_OCCLUSION = 3
} lstm_lrp_method;

typedef enum {
  LSTM_LRP_RULE_ALL = 0,
  LSTM_LRP_RULE_PROP = 1,
  LSTM_LRP_RULE_ABS = 2,
  LSTM_LRP_RULE_HALF = 3
} lstm_lrp_product_rule;

/* Gated products, indexing product_rule and product_eps. */
enum { LSTM_LRP_PRODUCT_INPUT = 0, LSTM_LRP_PRODUCT_FORGET = 1, LSTM_LRP_PRODUCT_OUTPUT = 2 };

/* LOGIT: R = w ⊙ scores; ONE: R = w (w = target weights, so a caller-given
 * initial relevance vector is ONE with w set to that vector). */
typedef enum { LSTM_LRP_INIT_LOGIT = 0, LSTM_LRP_INIT_ONE = 1 } lstm_lrp_init;

typedef enum { LSTM_LRP_SCORE_LOGIT = 0, LSTM_LRP_SCORE_PROB = 1 } lstm_lrp_occlusion_score;

typedef enum {
  LSTM_LRP_REPLACE_ZERO = 0,
  LSTM_LRP_REPLACE_VECTOR = 1,
  LSTM_LRP_REPLACE_DELETE = 2
} lstm_lrp_occlusion_replacement;

typedef struct {
  int32_t method;            /* lstm_lrp_method */
  double eps;                /* >= 0 */
  double bias_factor;        /* in [0, 1] */
  int32_t product_rule[3];   /* lstm_lrp_product_rule per product */
  double product_eps[3];     /* >= 0 per product */
  int32_t init;              /* lstm_lrp_init */
  int32_t occlusion_score;   /* lstm_lrp_occlusion_score */
  int32_t occlusion_replacement; /* lstm_lrp_occlusion_replacement */
  lstm_lrp_input_buffer occlusion_vector; /* [input_size], model dtype, for REPLACE_VECTOR */
} lstm_lrp_explain_options;

/* Conservation report, per sequence, in this order. */
enum {
  LSTM_LRP_CONSERVATION_INPUT = 0,     /* relevance put in at the outputs */
  LSTM_LRP_CONSERVATION_INPUTS = 1,    /* sum of the input relevance */
  LSTM_LRP_CONSERVATION_ABSORBED = 2,  /* biases, stabilisers, zero denominators */
  LSTM_LRP_CONSERVATION_INITIAL = 3,   /* reached c_0 and y_0 */
  LSTM_LRP_CONSERVATION_SIZE = 4
};

/* Outputs of explain; all arrays are caller-allocated.
 * scores: [count, C] (readout last) or [sum(lengths), C] (readout each), model dtype
 * relevance: [sum(lengths), input_size], model dtype
 * per_step: [sum(lengths)], model dtype
 * conservation: [count, 4] float64 (zeros for methods other than LRP)
 * targets: [count] int32, the class explained when the target is the argmax
 *   (-1 when the caller gave target weights); may be absent */
typedef struct {
  lstm_lrp_output_buffer scores;
  lstm_lrp_output_buffer relevance;
  lstm_lrp_output_buffer per_step;
  lstm_lrp_output_buffer conservation;
  lstm_lrp_output_buffer targets;
} lstm_lrp_explain_outputs;

const char* lstm_lrp_last_error(void);

lstm_lrp_status lstm_lrp_model_create(const lstm_lrp_model_desc* desc, lstm_lrp_model** out);
void lstm_lrp_model_destroy(lstm_lrp_model* model);

/* scores: [count, C] (readout last) or [sum(lengths), C] (readout each), model dtype.
 * probabilities: float64, the softmax of each score row, same shape; may be absent. */
lstm_lrp_status lstm_lrp_predict(const lstm_lrp_model* model, const lstm_lrp_batch* batch,
                                 lstm_lrp_output_buffer scores, lstm_lrp_output_buffer probabilities);

/* target_weights (float64): the explained output f = Σ w ⊙ scores, one row
 * per score row ([count, C] or [sum(lengths), C]). Absent: each sequence's
 * argmax class (readout each: the argmax at its last step). */
lstm_lrp_status lstm_lrp_explain(const lstm_lrp_model* model, const lstm_lrp_explain_options* options,
                                 const lstm_lrp_batch* batch, lstm_lrp_input_buffer target_weights,
                                 const lstm_lrp_explain_outputs* outputs);

#ifdef __cplusplus
}
#endif

#endif
