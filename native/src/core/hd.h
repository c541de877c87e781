/* HD marks single-source element-wise functions: plain static inline C on the CPU, and
 * __host__ __device__ under nvcc, so the logic the GPU runs is the logic the CPU tests exercise. */
#ifndef CORE_HD_H
#define CORE_HD_H

#ifdef __CUDACC__
#define HD static inline __host__ __device__
#else
#define HD static inline
#endif

#endif
