# SPDX-License-Identifier: GPL-3.0-or-later
# The Qt layer over the core (QtCore only, no widgets): load jobs on a worker thread, the document that owns
# loaded traces, item models and chart series with pixel-bucket decimation. Included by model/CMakeLists.txt.
add_library(offloadlens_model STATIC
    ${CMAKE_CURRENT_LIST_DIR}/jobrunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/offloadtext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/traceloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracedocument.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracelistmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/connectionmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/evidencemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pixelmapping.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pointseries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartseries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/streamchartseries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartseriesbuilder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/annotation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sessionfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compareseries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparecsv.cpp
    ${CMAKE_CURRENT_LIST_DIR}/problemmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/livecapturesession.cpp
)
target_include_directories(offloadlens_model PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(offloadlens_model PUBLIC offloadlens_core Qt6::Core PRIVATE Qt6::Concurrent)
target_compile_definitions(offloadlens_model PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII)
set_target_properties(offloadlens_model PROPERTIES AUTOMOC ON POSITION_INDEPENDENT_CODE ON)
