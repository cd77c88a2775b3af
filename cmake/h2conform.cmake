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
# Tests find the shared folder and the source tree through environment variables.
function(h2c_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${H2CONFORM_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  # gtest_discover_tests flattens PROPERTIES, so the list separators must be escaped for
  # every variable to reach the tests.
  set(env "H2CONFORM_SHARED_DIR=${H2CONFORM_SHARED_DIR}"
          "H2CONFORM_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
          "H2CONFORM_BINARY_DIR=${CMAKE_BINARY_DIR}")
  string(REPLACE ";" "\\;" env "${env}")
  set(props ENVIRONMENT "${env}")
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
