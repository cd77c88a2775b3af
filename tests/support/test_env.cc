// Linked into every test binary: gives tests the source tree and the build tree through
// environment variables (set at configure time; a value already in the
// environment wins), so a test binary also works when run by hand.
#include <cstdlib>

namespace {

struct TestEnvironment {
  TestEnvironment() {
    ::setenv("H2CONFORM_SOURCE_DIR", H2CONFORM_TEST_SOURCE_DIR, 0);
    ::setenv("H2CONFORM_BINARY_DIR", H2CONFORM_TEST_BINARY_DIR, 0);
  }
};

const TestEnvironment kTestEnvironment;

}  // namespace
