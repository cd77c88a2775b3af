// Fuzz seeds from real traffic (corpus_writer.h).
#include "runner/cli/corpus_writer.h"

#include <openssl/evp.h>

#include <fstream>
#include <system_error>

namespace h2conform::cli {
namespace {

constexpr const char* kTargets[] = {"frame_decoder", "hpack_decoder", "session"};

std::string sha256_hex(const wire::Bytes& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string CorpusWriter::open(const std::filesystem::path& dir) {
  dir_ = dir;
  for (const char* target : kTargets) {
    std::error_code ec;
    std::filesystem::create_directories(dir / target, ec);
    if (ec) return "cannot make " + (dir / target).string() + ": " + ec.message();
  }
  return {};
}

void CorpusWriter::connection_finished(const engine::ConnectionBytes& bytes) {
  const engine::CorpusSeeds seeds = engine::seeds_from(bytes);
  for (const auto& stream : seeds.frame_streams) write_seed("frame_decoder", stream);
  for (const auto& block : seeds.field_blocks) write_seed("hpack_decoder", block);
  if (!seeds.session_input.empty()) write_seed("session", seeds.session_input);
}

void CorpusWriter::write_seed(const std::string& target, const wire::Bytes& bytes) {
  const std::string name = sha256_hex(bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!seen_.insert(target + "/" + name).second) return;
  const std::filesystem::path file = dir_ / target / name;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return;
  const std::filesystem::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      if (error_.empty()) error_ = "cannot write " + partial.string();
      return;
    }
  }
  std::filesystem::rename(partial, file, ec);
  if (ec) {
    if (error_.empty()) error_ = "cannot write " + file.string() + ": " + ec.message();
    return;
  }
  ++written_;
}

std::size_t CorpusWriter::written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return written_;
}

std::string CorpusWriter::first_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

}  // namespace h2conform::cli
