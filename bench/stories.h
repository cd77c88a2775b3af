// Loads the hpack-test-case stories (tests/vectors/) for the benchmarks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/hpack/hpack.h"

namespace h2conform::bench {

struct StoryCase {
  std::optional<std::uint32_t> table_size;  // header_table_size, when present
  hpack::Bytes wire;
  hpack::HeaderList headers;
};

struct Story {
  std::string name;  // folder/story_NN
  std::vector<StoryCase> cases;
};

struct Corpus {
  std::vector<Story> stories;
  std::size_t wire_bytes = 0;    // sum of all wire blocks
  std::size_t header_bytes = 0;  // sum of name + value lengths
  std::size_t fields = 0;
  std::size_t blocks = 0;
};

// Reads every story under <vectors_dir>/hpack-test-case. Throws std::runtime_error naming
// the file on a read or parse failure, or when no story is found.
Corpus load_corpus(const std::string& vectors_dir);

// The corpus loaded by main() before the benchmarks run.
const Corpus& corpus();
void set_corpus(Corpus c);

}  // namespace h2conform::bench
