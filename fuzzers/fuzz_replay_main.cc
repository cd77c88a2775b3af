// Corpus replay driver: runs LLVMFuzzerTestOneInput over every file of the given folders (or
// given files), in name order, so every build can run the fuzz corpora as a regression test.
// Exit 0 when all inputs ran; 1 when a folder is missing or holds no inputs. A failed property
// check inside the target aborts, which fails the test.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_under(const fs::path& path) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(path)) return {path};
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                       std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 64;
  }
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const auto files = inputs_under(argv[i]);
    if (files.empty()) {
      std::fprintf(stderr, "%s: no inputs (missing or empty)\n", argv[i]);
      return 1;
    }
    for (const auto& file : files) {
      if (!replay(file)) {
        std::fprintf(stderr, "%s: cannot read\n", file.string().c_str());
        return 1;
      }
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return 0;
}
