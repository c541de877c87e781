/* Minimal assertions for the C tests: each failure prints where and what, the test exits non-zero. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failures = 0;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* |actual − expected| ≤ tol */
#define CHECK_NEAR(actual, expected, tol)                                                          \
    do {                                                                                           \
        double a_ = (double)(actual), e_ = (double)(expected), t_ = (double)(tol);                 \
        if (!(fabs(a_ - e_) <= t_)) {                                                              \
            fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g ± %.3g\n", __FILE__, __LINE__,        \
                    #actual, a_, e_, t_);                                                          \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        mumloc_status s_ = (call);                                                                 \
        if (s_ != MUMLOC_OK) {                                                                     \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #call,               \
                    mumloc_status_string(s_), mumloc_last_error());                                \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_STATUS(call, expected)                                                               \
    do {                                                                                           \
        mumloc_status s_ = (call);                                                                 \
        if (s_ != (expected)) {                                                                    \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s (message: %s)\n", __FILE__,        \
                    __LINE__, #call, mumloc_status_string(s_), mumloc_status_string(expected),     \
                    mumloc_last_error());                                                          \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* Ends main(): prints a one-line verdict and returns the exit code. */
#define CHECK_DONE(name)                                                                           \
    (check_failures == 0 ? (printf("%s: all checks passed\n", name), 0)                            \
                         : (printf("%s: %d check(s) failed\n", name, check_failures), 1))

#endif
