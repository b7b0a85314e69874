# SPDX-License-Identifier: GPL-3.0-or-later
# Robustness: the malformed and hostile capture catalogue (fixtures in data/malformed and data/fuzz-regressions).
offloadlens_test(tst_malformed)

# The long-capture check (tests/bench/longfile.sh): a program, never run by ctest.
if(OFFLOADLENS_BUILD_BENCHMARKS)
    add_executable(longfile ${CMAKE_CURRENT_SOURCE_DIR}/bench/longfile.cpp)
    target_link_libraries(longfile PRIVATE offloadlens_core)
endif()
