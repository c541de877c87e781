/* The core library with the CUDA object absent (MUMLOC_CUDA_LIBRARY points at a missing file): `auto`
 * falls back to the CPU with the reason, and the CPU backend it hands out computes. */
#include <stdlib.h>
#include <string.h>

#include "backend/device.h"
#include "check.h"
#include "mumloc.h"

int main(void) {
    /* Before the first probe: the answer is cached per process. */
    setenv(CUDA_LIBRARY_ENV, "/nonexistent/dir/libmumloc_cuda.so", 1);
    mumloc_device_choice c;
    CHECK_OK(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_AUTO, 0}, &c));
    printf("auto with the CUDA object missing: %s\n", c.reason);
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
    CHECK(strncmp(c.reason, "CPU: no CUDA device (CUDA backend not found at /nonexistent/dir/", 63) == 0);
    CHECK_STATUS(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_CUDA, 1}, &c),
                 MUMLOC_ERR_UNSUPPORTED);
    CHECK(strstr(mumloc_last_error(), "not found") != NULL);

    int count = 0;
    CHECK_OK(mumloc_device_list(NULL, 0, &count));
    CHECK(count == 1);

    /* The backend for `auto` is the CPU one, and it works. */
    nn_backend *be = NULL;
    CHECK_OK(nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_AUTO, 0}, &be, &c));
    CHECK(be && strcmp(be->name, "cpu") == 0);
    if (!be) return CHECK_DONE("test_device_missing");
    nn_tensor *t = NULL;
    const float in[6] = {-2, -1, 0, 1, 2, 3};
    float out[6];
    CHECK_OK(be->tensor_create(be, (nn_shape){1, 2, 1, 3}, &t));
    CHECK_OK(be->upload(be, t, in));
    CHECK_OK(be->activation_forward(be, NN_ACT_RELU, t, t));
    CHECK_OK(be->download(be, t, out));
    for (int i = 0; i < 6; i++) CHECK(out[i] == (in[i] > 0 ? in[i] : 0.0f));
    be->tensor_destroy(be, t);
    nn_backend_destroy(be);
    return CHECK_DONE("test_device_missing");
}
