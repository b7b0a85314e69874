# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmarks: programs that print numbers. Built with the project, never run by ctest.
add_executable(bench_load ${CMAKE_CURRENT_LIST_DIR}/bench_load.cpp)
target_link_libraries(bench_load PRIVATE offloadlens_core)

# bench_reader: our pcapng reader against Wireshark's libwiretap on the same files (how the reader for
# multi-interface pcapng was chosen). Built only where libwiretap-dev, libwsutil-dev and libglib2.0-dev are
# installed; never linked into the product.
pkg_check_modules(GLIB2 QUIET IMPORTED_TARGET glib-2.0)
find_path(OFFLOADLENS_WIRESHARK_INCLUDE wiretap/wtap.h PATH_SUFFIXES wireshark)
find_library(OFFLOADLENS_WIRETAP_LIB wiretap)
find_library(OFFLOADLENS_WSUTIL_LIB wsutil)
if(GLIB2_FOUND AND OFFLOADLENS_WIRESHARK_INCLUDE AND OFFLOADLENS_WIRETAP_LIB AND OFFLOADLENS_WSUTIL_LIB)
    add_executable(bench_reader ${CMAKE_CURRENT_LIST_DIR}/bench_reader.cpp)
    target_include_directories(bench_reader SYSTEM PRIVATE ${OFFLOADLENS_WIRESHARK_INCLUDE}
                                                           ${OFFLOADLENS_WIRESHARK_INCLUDE}/wiretap)
    target_link_libraries(bench_reader PRIVATE offloadlens_core ${OFFLOADLENS_WIRETAP_LIB} ${OFFLOADLENS_WSUTIL_LIB}
                                               PkgConfig::GLIB2)
endif()
