# `cmake --install` and CPack: the binary and the data it reads at run time.
#   PREFIX/bin/h2conform
#   PREFIX/share/h2conform/cases/          the catalogue
#   PREFIX/share/h2conform/specs/          the requirement tables the cases cite
#   PREFIX/share/h2conform/docs/coverage/  reasons for rows no case checks (--dryrun --coverage)
# The binary looks for its data in ../share/h2conform relative to itself (runner/cli/cli_support.h),
# so these two destinations are fixed. The HTML report's page assets are built into the binary.
if(TARGET h2conform)
  install(TARGETS h2conform RUNTIME DESTINATION bin)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/cases/ DESTINATION share/h2conform/cases)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/specs/ DESTINATION share/h2conform/specs)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/coverage/ DESTINATION share/h2conform/docs/coverage)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/h2conform)

# cpack -G DEB: a Debian package installing under /usr.
set(CPACK_PACKAGE_NAME h2conform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "h2conform maintainers")
set(CPACK_PACKAGE_CONTACT "h2conform maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "HTTP/2 conformance testing, h2spec-compatible")
set(CPACK_PACKAGE_DESCRIPTION
    "h2conform replays RFC-derived HTTP/2 cases against a server and reports, per case, what RFC 9113, RFC 7541 and RFC 9218 require against what the server did (terminal, JUnit, JSON and HTML reports). Its flags and spec ids are those of h2spec.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "h2conform maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# What dpkg-shlibdeps finds for the binary built on Debian 12, written out so that packaging
# does not need dpkg-dev.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libgcc-s1 (>= 3.0), libssl3 (>= 3.0.0), libstdc++6 (>= 11)")
include(CPack)
