// Convolutions on cuDNN (legacy cudnnConvolution* API, present in cuDNN 9).
//
// One cuDNN convolution C describes both layer kinds. Regular layer: C maps the layer input x to its
// output y with weights (out, in, k, k). Transposed layer (stride 2, 3×3, pad 1, output pad 1): C is
// the stride-2 convolution mapping a (n, out, 2h, 2w) array to (n, in, h, w) with the layer's own
// weights (in, out, 3, 3); the transposed convolution is exactly C's adjoint, i.e. cuDNN's
// backward-data, and PyTorch's ConvTranspose2d is defined the same way. So:
//               forward            backward-data       backward-weights
//   regular     Forward(x→y)       BackwardData(dy→dx)  BackwardFilter(x, dy)
//   transposed  BackwardData(x→y)  Forward(dy→dx)       BackwardFilter(dy, x)
// and every plan needs the same three algorithms on the same descriptors.
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"

struct nn_conv_plan {
    nn_conv_desc d;
    cudnnTensorDescriptor_t c_in, c_out; // C's input and output (see above)
    cudnnTensorDescriptor_t bias;        // (1, out, 1, 1)
    cudnnFilterDescriptor_t w;
    cudnnConvolutionDescriptor_t conv;
    cudnnConvolutionFwdAlgo_t fwd;
    cudnnConvolutionBwdDataAlgo_t bwd_data;
    cudnnConvolutionBwdFilterAlgo_t bwd_filter;
    size_t ws_fwd, ws_data, ws_filter;
};

void cuda_conv_plan_destroy(nn_backend *be, nn_conv_plan *p) {
    if (!p) return;
    if (p->c_in) cudnnDestroyTensorDescriptor(p->c_in);
    if (p->c_out) cudnnDestroyTensorDescriptor(p->c_out);
    if (p->bias) cudnnDestroyTensorDescriptor(p->bias);
    if (p->w) cudnnDestroyFilterDescriptor(p->w);
    if (p->conv) cudnnDestroyConvolutionDescriptor(p->conv);
    free(p);
}

// Index of the heuristically best usable algorithm in cuDNN's order; got when none. fp32 mode takes
// the first usable entry reported with FMA or default maths, else the first usable one: whatever an
// entry reports, the legacy API runs it with the descriptor's math type (CUDNN_FMA_MATH), so no tensor
// core is used either way. With TF32 allowed, cuDNN's first usable entry.
template <typename Perf> static int best(const Perf *perf, int got, int tf32) {
    int first = got;
    for (int i = 0; i < got; i++) {
        if (perf[i].status != CUDNN_STATUS_SUCCESS) continue;
        if (tf32 || perf[i].mathType == CUDNN_FMA_MATH || perf[i].mathType == CUDNN_DEFAULT_MATH)
            return i;
        if (first == got) first = i;
    }
    return first;
}

static mumloc_status pick_algorithms(cudnnHandle_t h, nn_conv_plan *p, int tf32) {
    int got = 0, i;
    cudnnConvolutionFwdAlgoPerf_t f[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    CUDNN_CALL(cudnnGetConvolutionForwardAlgorithm_v7(h, p->c_in, p->w, p->conv, p->c_out,
                                                      CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &got, f),
               "choosing a forward algorithm");
    if ((i = best(f, got, tf32)) == got)
        return CU_FAIL(MUMLOC_ERR_UNSUPPORTED, "cuDNN: no forward algorithm for a layer");
    p->fwd = f[i].algo;
    CUDNN_CALL(cudnnGetConvolutionForwardWorkspaceSize(h, p->c_in, p->w, p->conv, p->c_out, p->fwd,
                                                       &p->ws_fwd),
               "sizing the forward workspace");

    cudnnConvolutionBwdDataAlgoPerf_t d[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    CUDNN_CALL(cudnnGetConvolutionBackwardDataAlgorithm_v7(
                   h, p->w, p->c_out, p->conv, p->c_in, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &got, d),
               "choosing a backward-data algorithm");
    if ((i = best(d, got, tf32)) == got)
        return CU_FAIL(MUMLOC_ERR_UNSUPPORTED, "cuDNN: no backward-data algorithm for a layer");
    p->bwd_data = d[i].algo;
    CUDNN_CALL(cudnnGetConvolutionBackwardDataWorkspaceSize(h, p->w, p->c_out, p->conv, p->c_in,
                                                            p->bwd_data, &p->ws_data),
               "sizing the backward-data workspace");

    cudnnConvolutionBwdFilterAlgoPerf_t g[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
    CUDNN_CALL(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p->c_in, p->c_out, p->conv, p->w,
                                                             CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT,
                                                             &got, g),
               "choosing a backward-filter algorithm");
    if ((i = best(g, got, tf32)) == got)
        return CU_FAIL(MUMLOC_ERR_UNSUPPORTED, "cuDNN: no backward-filter algorithm for a layer");
    p->bwd_filter = g[i].algo;
    CUDNN_CALL(cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p->c_in, p->c_out, p->conv, p->w,
                                                              p->bwd_filter, &p->ws_filter),
               "sizing the backward-filter workspace");
    return MUMLOC_OK;
}

static mumloc_status build(cuda_backend *cb, nn_conv_plan *p) {
    const nn_conv_desc *d = &p->d;
    const int t = d->transposed;
    // C's input/output: layer x→y when regular, layer y→x when transposed.
    const int oh = t ? 2 * d->h : d->h, ow = t ? 2 * d->w : d->w;
    if (t) {
        CU_TRY(cuda_tensor_desc(&p->c_in, d->n, d->out_c, oh, ow));
        CU_TRY(cuda_tensor_desc(&p->c_out, d->n, d->in_c, d->h, d->w));
    } else {
        CU_TRY(cuda_tensor_desc(&p->c_in, d->n, d->in_c, d->h, d->w));
        CU_TRY(cuda_tensor_desc(&p->c_out, d->n, d->out_c, d->h, d->w));
    }
    CU_TRY(cuda_tensor_desc(&p->bias, 1, d->out_c, 1, 1));
    CUDNN_CALL(cudnnCreateFilterDescriptor(&p->w), "creating a filter descriptor");
    // Filter (K, C, k, k) = (C's output channels, C's input channels): (out, in) regular, (in, out)
    // transposed — the layer's weights as stored, in both cases.
    CUDNN_CALL(cudnnSetFilter4dDescriptor(p->w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW,
                                          t ? d->in_c : d->out_c, t ? d->out_c : d->in_c, d->kernel,
                                          d->kernel),
               "describing the weights");
    CUDNN_CALL(cudnnCreateConvolutionDescriptor(&p->conv), "creating a convolution descriptor");
    const int pad = (d->kernel - 1) / 2, stride = t ? 2 : 1;
    CUDNN_CALL(cudnnSetConvolution2dDescriptor(p->conv, pad, pad, stride, stride, 1, 1,
                                               CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
               "describing the convolution");
    // Plain fp32 FMA by default: CUDNN_DEFAULT_MATH would permit TF32 tensor cores on Ampere and
    // newer (cuDNN's cudnnMathType_t), which issue 4 allows only where a test shows accuracy is
    // kept. MUMLOC_CUDA_TF32=1 opts in (CUDA.md, "Precision").
    CUDNN_CALL(cudnnSetConvolutionMathType(p->conv, cb->tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH),
               "setting the convolution maths");
    return pick_algorithms(cb->cudnn, p, cb->tf32);
}

mumloc_status cuda_conv_plan_create(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out) {
    *out = NULL;
    if (desc->n < 1 || desc->in_c < 1 || desc->out_c < 1 || desc->h < 1 || desc->w < 1)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "convolution sizes must be positive");
    if (desc->transposed ? desc->kernel != 3 : (desc->kernel < 1 || desc->kernel % 2 == 0))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT,
                       "convolution kernel %d: regular kernels are odd, transposed ones 3",
                       desc->kernel);
    cuda_backend *cb = cuda_of(be);
    CUDA_CALL(cudaSetDevice(cb->device), "selecting the device");
    nn_conv_plan *p = (nn_conv_plan *)calloc(1, sizeof *p);
    if (!p) return CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a convolution plan");
    p->d = *desc;
    mumloc_status st = build(cb, p);
    if (st != MUMLOC_OK) {
        cuda_conv_plan_destroy(be, p);
        return st;
    }
    *out = p;
    return MUMLOC_OK;
}

static int is(const nn_tensor *t, int n, int c, int h, int w) {
    return t && t->shape.n == n && t->shape.c == c && t->shape.h == h && t->shape.w == w;
}

// Checks the tensors against the plan (any may be NULL = not involved).
static mumloc_status check(const nn_conv_plan *p, const nn_tensor *x, const nn_tensor *y,
                           const nn_tensor *w, const nn_tensor *b) {
    const nn_conv_desc *d = &p->d;
    const int s = d->transposed ? 2 : 1;
    const int wa = d->transposed ? d->in_c : d->out_c, wb = d->transposed ? d->out_c : d->in_c;
    if ((x && !is(x, d->n, d->in_c, d->h, d->w)) || (y && !is(y, d->n, d->out_c, s * d->h, s * d->w)) ||
        (w && !is(w, wa, wb, d->kernel, d->kernel)) || (b && !is(b, 1, d->out_c, 1, 1)))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT,
                       "convolution tensors do not match the plan (%d×%d×%d×%d, %d → %d channels)",
                       d->n, d->in_c, d->h, d->w, d->in_c, d->out_c);
    return MUMLOC_OK;
}

static const float one = 1.0f, zero = 0.0f;

// out_C = C(in_C): cuDNN forward.
static mumloc_status run_forward(cuda_backend *cb, nn_conv_plan *p, const float *in, const float *w,
                                 float *out) {
    void *ws;
    CU_TRY(cuda_workspace(cb, p->ws_fwd, &ws));
    CUDNN_CALL(cudnnConvolutionForward(cb->cudnn, &one, p->c_in, in, p->w, w, p->conv, p->fwd, ws,
                                       p->ws_fwd, &zero, p->c_out, out),
               "convolution forward");
    return MUMLOC_OK;
}

// in_C = Cᵀ(out_C): cuDNN backward-data.
static mumloc_status run_adjoint(cuda_backend *cb, nn_conv_plan *p, const float *out, const float *w,
                                 float *in) {
    void *ws;
    CU_TRY(cuda_workspace(cb, p->ws_data, &ws));
    CUDNN_CALL(cudnnConvolutionBackwardData(cb->cudnn, &one, p->w, w, p->c_out, out, p->conv,
                                            p->bwd_data, ws, p->ws_data, &zero, p->c_in, in),
               "convolution backward-data");
    return MUMLOC_OK;
}

mumloc_status cuda_conv_forward(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                const nn_tensor *w, const nn_tensor *b, nn_tensor *y) {
    CU_TRY(check(p, x, y, w, b));
    cuda_backend *cb = cuda_of(be);
    if (p->d.transposed) CU_TRY(run_adjoint(cb, p, x->data, w->data, y->data));
    else CU_TRY(run_forward(cb, p, x->data, w->data, y->data));
    cudnnTensorDescriptor_t yd = p->d.transposed ? p->c_in : p->c_out;
    CUDNN_CALL(cudnnAddTensor(cb->cudnn, &one, p->bias, b->data, &one, yd, y->data), "adding the bias");
    if (p->d.fused != NN_ACT_NONE)
        CU_TRY(cuda_activation_inplace(cb, p->d.fused, y->data, nn_shape_count(y->shape)));
    return MUMLOC_OK;
}

mumloc_status cuda_conv_backward_data(nn_backend *be, nn_conv_plan *p, const nn_tensor *dy,
                                      const nn_tensor *w, nn_tensor *dx) {
    CU_TRY(check(p, dx, dy, w, NULL));
    cuda_backend *cb = cuda_of(be);
    if (p->d.transposed) return run_forward(cb, p, dy->data, w->data, dx->data);
    return run_adjoint(cb, p, dy->data, w->data, dx->data);
}

mumloc_status cuda_conv_backward_weights(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                         const nn_tensor *dy, nn_tensor *dw, nn_tensor *db) {
    CU_TRY(check(p, x, dy, dw, db));
    cuda_backend *cb = cuda_of(be);
    // C's input is the layer input (regular) or the layer's output gradient (transposed).
    const float *c_in = p->d.transposed ? dy->data : x->data;
    const float *c_out = p->d.transposed ? x->data : dy->data;
    void *ws;
    CU_TRY(cuda_workspace(cb, p->ws_filter, &ws));
    CUDNN_CALL(cudnnConvolutionBackwardFilter(cb->cudnn, &one, p->c_in, c_in, p->c_out, c_out, p->conv,
                                              p->bwd_filter, ws, p->ws_filter, &zero, p->w, dw->data),
               "convolution backward-weights");
    cudnnTensorDescriptor_t yd = p->d.transposed ? p->c_in : p->c_out;
    CUDNN_CALL(cudnnConvolutionBackwardBias(cb->cudnn, &one, yd, dy->data, &zero, p->bias, db->data),
               "convolution bias gradient");
    return MUMLOC_OK;
}
