#include "bench/stories.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace h2conform::bench {
namespace {

namespace fs = std::filesystem;

hpack::Bytes from_hex(const std::string& hex, const fs::path& file) {
  if (hex.size() % 2 != 0) throw std::runtime_error(file.string() + ": odd-length wire hex");
  hpack::Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

Story load_story(const fs::path& file, const fs::path& root) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
  Story story;
  story.name = fs::relative(file, root).replace_extension().generic_string();
  for (const auto& c : j.at("cases")) {
    StoryCase sc;
    if (c.contains("header_table_size") && !c["header_table_size"].is_null()) {
      sc.table_size = c["header_table_size"].get<std::uint32_t>();
    }
    sc.wire = from_hex(c.at("wire").get<std::string>(), file);
    for (const auto& h : c.at("headers")) {
      for (const auto& [n, v] : h.items()) sc.headers.push_back({n, v.get<std::string>()});
    }
    story.cases.push_back(std::move(sc));
  }
  return story;
}

Corpus* g_corpus = nullptr;

}  // namespace

Corpus load_corpus(const std::string& vectors_dir) {
  const fs::path root = fs::path(vectors_dir) / "hpack-test-case";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw std::runtime_error("no story folder at " + root.string());
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (files.empty()) throw std::runtime_error("no story files under " + root.string());
  std::sort(files.begin(), files.end());
  Corpus c;
  for (const auto& f : files) {
    c.stories.push_back(load_story(f, root));
    for (const auto& sc : c.stories.back().cases) {
      c.wire_bytes += sc.wire.size();
      c.blocks += 1;
      c.fields += sc.headers.size();
      for (const auto& h : sc.headers) c.header_bytes += h.name.size() + h.value.size();
    }
  }
  return c;
}

const Corpus& corpus() { return *g_corpus; }

void set_corpus(Corpus c) {
  static Corpus storage;
  storage = std::move(c);
  g_corpus = &storage;
}

}  // namespace h2conform::bench
