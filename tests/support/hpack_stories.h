// The shared hpack-test-case stories, for tests of the hpack and vectors modules.
// Names are listed rather than found on disk because ctest lists the tests before the shared
// folder's location is known; the vectors test StoryListMatchesTheFolder keeps them in step.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace h2conform::testing {

// $H2CONFORM_SHARED_DIR/vectors/hpack-test-case, or empty when the variable is not set.
inline std::filesystem::path hpack_stories_dir() {
  const char* shared = std::getenv("H2CONFORM_SHARED_DIR");
  return shared == nullptr ? std::filesystem::path()
                           : std::filesystem::path(shared) / "vectors" / "hpack-test-case";
}

// "go-hpack/story_00.json" ... sorted.
inline std::vector<std::string> hpack_story_files() {
  const std::pair<const char*, int> folders[] = {{"go-hpack", 32},
                                                 {"nghttp2", 32},
                                                 {"nghttp2-change-table-size", 31},
                                                 {"swift-nio-hpack-plain-text", 32}};
  std::vector<std::string> out;
  for (const auto& folder : folders) {
    for (int i = 0; i < folder.second; ++i) {
      out.push_back(std::string(folder.first) + "/story_" + (i < 10 ? "0" : "") + std::to_string(i) +
                    ".json");
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace h2conform::testing
