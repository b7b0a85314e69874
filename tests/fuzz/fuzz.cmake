# SPDX-License-Identifier: GPL-3.0-or-later
# libFuzzer target fuzz_loader (bytes -> loader -> analysis -> report). Off by default; clang only. With it
# ON the core library of this build directory is instrumented for coverage, ASan and UBSan, so use a
# build directory of its own (tests/fuzz/run-fuzz.sh uses build/fuzz).
option(OFFLOADLENS_FUZZ "Build the libFuzzer target fuzz_loader (clang only; instruments the core)" OFF)

if(OFFLOADLENS_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(WARNING "OFFLOADLENS_FUZZ needs clang for libFuzzer; fuzz_loader is not built with "
                        "${CMAKE_CXX_COMPILER_ID}. Configure with -DCMAKE_CXX_COMPILER=clang++.")
    else()
        set(OFFLOADLENS_FUZZ_SANITIZERS address,undefined)
        # UBSan stays recoverable so that a suppressions file can hold a known finding back while it waits
        # for its fix; run-fuzz.sh sets UBSAN_OPTIONS=halt_on_error=1, so every other finding stops the run.
        target_compile_options(offloadlens_core PRIVATE
            -fsanitize=fuzzer-no-link,${OFFLOADLENS_FUZZ_SANITIZERS} -fno-omit-frame-pointer)
        # Whatever links the instrumented core needs the sanitizer runtimes.
        target_link_options(offloadlens_core INTERFACE -fsanitize=${OFFLOADLENS_FUZZ_SANITIZERS})

        add_executable(fuzz_loader ${CMAKE_CURRENT_LIST_DIR}/fuzz_loader.cpp)
        target_compile_options(fuzz_loader PRIVATE
            -fsanitize=fuzzer,${OFFLOADLENS_FUZZ_SANITIZERS} -fno-omit-frame-pointer)
        target_link_options(fuzz_loader PRIVATE -fsanitize=fuzzer,${OFFLOADLENS_FUZZ_SANITIZERS})
        target_link_libraries(fuzz_loader PRIVATE offloadlens_core)
    endif()
endif()
