// Where tests find the repository's data: the source tree ($H2CONFORM_SOURCE_DIR, which
// test_env.cc sets in every test binary from the configured source tree; a value already in the
// environment wins) and the folders in it that tests read.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace h2conform::testing {

inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("H2CONFORM_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? std::filesystem::path(dir) : std::filesystem::path();
}
// The requirement tables the binary uses (requirements-*.tsv).
inline std::filesystem::path specs_dir() { return source_dir() / "specs"; }
// The catalogue.
inline std::filesystem::path cases_dir() { return source_dir() / "cases"; }
// Public vectors: hpack-test-case/ and http2-frame-test-case/.
inline std::filesystem::path vectors_dir() { return source_dir() / "tests" / "vectors"; }
// h2spec's case ids (h2spec-{server,client}-cases.tsv).
inline std::filesystem::path compat_dir() { return source_dir() / "tests" / "compat"; }

}  // namespace h2conform::testing
