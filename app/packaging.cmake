# SPDX-License-Identifier: GPL-3.0-or-later
# Desktop integration (menu entry, icon, MIME types, demo captures) and the Debian package built by CPack:
#   cmake --build build/release && cpack --config build/release/CPackConfig.cmake
include(GNUInstallDirs)

install(FILES ${PROJECT_SOURCE_DIR}/resources/offloadlens.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/offloadlens.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/resources/offloadlens-mime.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME offloadlens.xml)
# Demo captures are optional: install whatever the folder holds when it exists.
if(EXISTS ${PROJECT_SOURCE_DIR}/resources/demo)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/demo/
            DESTINATION ${CMAKE_INSTALL_DATADIR}/offloadlens/demo
            FILES_MATCHING PATTERN "*.pcap" PATTERN "*.pcapng" PATTERN "*.cap" PATTERN "*.pcap.gz"
                           PATTERN "*.md" PATTERN "*.txt")
endif()
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "offloadlens")
set(CPACK_PACKAGE_VENDOR "OffloadLens developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TCP frame sizes vs MSS: segmentation offload and receive coalescing explained")
set(CPACK_PACKAGE_CONTACT "OffloadLens developers <offloadlens@example.org>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "OffloadLens developers <offloadlens@example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Frames bigger than the MTU, explained\n OffloadLens reads pcap and pcapng captures and shows each TCP frame's size\n against the connection's MSS, whether the capture was taken on a host doing\n segmentation offload (LSO/TSO/GSO) or receive coalescing (LRO/GRO), and the\n evidence for it. A headless 'offloadlens report' prints the same analysis\n as text or JSON.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/offloadlens")
include(CPack)
