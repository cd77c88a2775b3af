// The hpack-test-case stories (tests/vectors/), for tests of the hpack and vectors modules.
// Names are listed rather than found on disk so that test names do not depend on the files
// found at discovery time; the vectors test StoryListMatchesTheFolder keeps them in step.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_data.h"

namespace h2conform::testing {

// tests/vectors/hpack-test-case of the source tree.
inline std::filesystem::path hpack_stories_dir() { return vectors_dir() / "hpack-test-case"; }

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
