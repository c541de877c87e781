// Block-wide sum for reduction kernels launched with CUDA_THREADS (256) threads per block.
#ifndef BACKEND_CUDA_CUDA_REDUCE_CUH
#define BACKEND_CUDA_CUDA_REDUCE_CUH

// Every thread must call it; every thread gets the total. Summed in double: the batch-norm and loss
// sums run over up to millions of terms.
static __device__ double cuda_block_sum(double v) {
    __shared__ double part[32];
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads(); // part[] may still be read by a previous call
    if (lane == 0) part[warp] = v;
    __syncthreads();
    double total = 0.0;
    for (int i = 0; i < (int)(blockDim.x >> 5); i++) total += part[i];
    return total;
}

#endif
