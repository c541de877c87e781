# Sanitizer and fuzzing builds (README "Fuzzing and sanitizers"); included before any target exists
# so that every object of the library, the CLI and the C tests gets the same flags.
#   -DMUMLOC_SANITIZE=ON   AddressSanitizer + UndefinedBehaviorSanitizer, any report is fatal
#                          (gcc or clang)
#   -DMUMLOC_FUZZ=ON       additionally the libFuzzer harnesses of tests/fuzz (clang only); implies
#                          MUMLOC_SANITIZE and instruments the library for coverage
# Both are for a separate build folder: the CUDA backend (nvcc does not take these flags) is not built
# there.
option(MUMLOC_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(MUMLOC_FUZZ "Build the libFuzzer harnesses in tests/fuzz (clang; implies MUMLOC_SANITIZE)" OFF)

if(MUMLOC_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MUMLOC_FUZZ needs clang (libFuzzer): configure with CC=clang")
  endif()
  set(MUMLOC_SANITIZE ON)
endif()

if(MUMLOC_SANITIZE)
  set(MUMLOC_CUDA OFF) # a normal variable: option(MUMLOC_CUDA ...) below then keeps it OFF
  set(MUMLOC_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
                             -fno-omit-frame-pointer)
  add_compile_options(${MUMLOC_SANITIZER_FLAGS} -g)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang") # instrumented loops cannot honour "omp simd": no news
    add_compile_options(-Wno-pass-failed)
  endif()
  add_link_options(-fsanitize=address,undefined)
  if(MUMLOC_FUZZ)
    # coverage for libFuzzer (of the readers only, tests/fuzz/coverage.txt); harnesses link the rest
    add_compile_options(-fsanitize=fuzzer-no-link
                        -fsanitize-coverage-allowlist=${CMAKE_SOURCE_DIR}/tests/fuzz/coverage.txt)
  endif()
  if(MUMLOC_FUZZ)
    message(STATUS "mumloc: sanitizer build (address, undefined) with the fuzzers of tests/fuzz")
  else()
    message(STATUS "mumloc: sanitizer build (address, undefined)")
  endif()
endif()
