# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks: programs that print numbers. Built with the project, never run by ctest.
add_executable(bench_load ${CMAKE_CURRENT_LIST_DIR}/bench_load.cpp)
target_link_libraries(bench_load PRIVATE offloadlens_core)
