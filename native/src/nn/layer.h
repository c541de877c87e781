/*
 * A layer of the two published networks: convolution (regular or transposed) → optional batch norm →
 * activation. Written against backend.h only. A layer owns its plans and activation buffers for the
 * current input shape and rebuilds them when the shape changes; its parameters live in the model.
 *
 * Modes: NN_MODE_TRAIN (batch statistics, keeps what backward needs), NN_MODE_EVAL (running
 * statistics, BN as its own op — the reference for folding), NN_MODE_INFER (BN folded into the
 * convolution, activation fused into it: one kernel per layer, the fast path).
 */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include "backend/backend.h"

typedef enum nn_mode { NN_MODE_TRAIN = 0, NN_MODE_EVAL = 1, NN_MODE_INFER = 2 } nn_mode;

/* A trainable tensor with its gradient and Adam moments (grad/m/v created on first training use). */
typedef struct nn_param {
    char name[64];
    nn_shape shape;
    nn_tensor *value, *grad, *m, *v;
} nn_param;

typedef struct nn_layer {
    int in_c, out_c, kernel, transposed, batch_norm;
    nn_activation act;
    nn_param *w, *b, *gamma, *beta;        /* gamma/beta NULL without batch norm */
    nn_tensor *running_mean, *running_var; /* BN buffers: saved with the model, not trained */
    float bn_eps, bn_momentum;
    int bn_relu; /* the ReLU runs inside the batch norm (backend's bn_fuses_relu); set by prepare */
    nn_precision precision; /* arithmetic of NN_MODE_INFER (nn_model_set_precision) */
    int output_layer;       /* the network's last layer: its inference output stays fp32 */

    /* state for the current input shape */
    nn_shape in_shape, out_shape;
    nn_conv_plan *train_plan, *infer_plan;
    nn_bn_plan *bn_plan;
    nn_tensor *pre;   /* convolution output = batch-norm input (training / eval) */
    nn_tensor *out;   /* layer output */
    nn_tensor *grad;  /* ∂L/∂out, turned into ∂L/∂pre in place during backward */
    nn_tensor *mean, *var;        /* batch statistics of the last training forward */
    nn_tensor *folded_w, *folded_b; /* inference weights (BN folded) */
    uint64_t folded_stamp;          /* model parameter stamp the folded weights were made from */
} nn_layer;

/* Output shape of the layer for an input shape. */
nn_shape nn_layer_output_shape(const nn_layer *l, nn_shape in);

/* Multiply-accumulates per frame of the layer's mathematical operation for an input h×w (the
 * transposed convolution counts its 9 taps per input pixel). */
double nn_layer_macs(const nn_layer *l, int h, int w);

/* Forward: in → l->out. `stamp` identifies the current parameter values (for refolding). */
mumloc_status nn_layer_forward(nn_backend *be, nn_layer *l, const nn_tensor *in, nn_mode mode,
                               uint64_t stamp);

/* Backward after a training forward: l->grad holds ∂L/∂out on entry (and is consumed); writes the
 * parameter gradients and, if din is not NULL, ∂L/∂in into din. */
mumloc_status nn_layer_backward(nn_backend *be, nn_layer *l, const nn_tensor *in, nn_tensor *din);

/* Frees the layer's shape-dependent state (plans and buffers), not the parameters. */
void nn_layer_release(nn_backend *be, nn_layer *l);

#endif
