// `--record-corpus DIR`: fuzz seeds from a run's real traffic, written as files named by the
// SHA-256 of their content into DIR/frame_decoder, DIR/hpack_decoder and DIR/session (the
// folders of fuzzers/corpus/). Seeds already there are kept; a seed is written once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

#include "runner/engine/connection/corpus.h"

namespace h2conform::cli {

class CorpusWriter final : public engine::CorpusSink {
 public:
  // Makes the folders; "" when they are ready, else why not.
  std::string open(const std::filesystem::path& dir);
  void connection_finished(const engine::ConnectionBytes& bytes) override;
  std::size_t written() const;  // new files
  std::string first_error() const;

 private:
  void write_seed(const std::string& target, const wire::Bytes& bytes);
  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::set<std::string> seen_;
  std::size_t written_ = 0;
  std::string error_;
};

}  // namespace h2conform::cli
