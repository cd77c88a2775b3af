# Shared build helpers.
include(GoogleTest)

set(H2CONFORM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)

# h2c_library(NAME SOURCES ... DEPS ...): one library per module, warnings on.
function(h2c_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${H2CONFORM_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# h2c_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with ctest.
# Tests find the source tree (and its data: specs/, tests/vectors/, tests/compat/) and the
# build tree through environment variables (tests/support/test_env.cc, test_data.h).
# Does nothing when H2CONFORM_BUILD_TESTS is OFF (no GoogleTest needed then).
function(h2c_test name)
  if(NOT H2CONFORM_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "NO_DISCOVER" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${H2CONFORM_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  # The paths reach the tests through tests/support/test_env.cc: gtest_discover_tests
  # cannot pass a list of several environment variables.
  target_sources(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support/test_env.cc)
  target_compile_definitions(${name} PRIVATE
    H2CONFORM_TEST_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    H2CONFORM_TEST_BINARY_DIR="${CMAKE_BINARY_DIR}")
  if(ARG_NO_DISCOVER)  # the caller registers the tests itself (add_test, by name)
    return()
  endif()
  set(props "")
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()

# h2c_forbid_dependencies(TARGET FORBIDDEN...): a configure error when TARGET links any of
# FORBIDDEN, directly or through the libraries it links. Keeps the layering stated in the
# module READMEs true (for example: reports/ never links the engine or OpenSSL).
function(h2c_forbid_dependencies target)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue current)
    if(current IN_LIST seen OR NOT TARGET ${current})
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(links ${current} LINK_LIBRARIES)
    get_target_property(interface ${current} INTERFACE_LINK_LIBRARIES)
    foreach(dep IN LISTS links interface)
      if(dep AND dep IN_LIST ARGN)
        message(FATAL_ERROR "${target} must not depend on ${dep} (through ${current})")
      endif()
      if(dep)
        list(APPEND queue ${dep})
      endif()
    endforeach()
  endwhile()
endfunction()
