// The preflight against real processes on loopback: an HTTP/1.x-only server, a server of
// another protocol, nghttpd on the wrong side of TLS, a TLS server without ALPN h2, an
// untrusted certificate and a missing path.
// Each mistake is one line on stderr and exit 2, before any case runs. Every process is started
// and stopped by the test; every wait is bounded.
#include <gtest/gtest.h>

#include <fstream>

#include "runner/cli/commands.h"
#include "runner/cli/subprocess_test_util.h"
#include "tests/peers/peer_process.h"

namespace h2conform::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path source_dir() {
  const char* dir = std::getenv("H2CONFORM_SOURCE_DIR");
  return dir != nullptr ? fs::path(dir) : fs::path();
}

class CliPreflightPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_FALSE(source_dir().empty());
  }
  void TearDown() override {
    if (peer_) peer_->stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // Starts a recipe (a path below the source tree) in `mode`; skips when `binary` is missing.
  void start(const std::string& binary, const fs::path& recipe, const std::string& mode) {
    if (peers::capture_output("command -v " + binary).empty()) GTEST_SKIP() << binary << " is not installed";
    peer_ = std::make_unique<peers::PeerProcess>(source_dir() / recipe, mode, dir_ / "work");
    std::string error;
    ASSERT_TRUE(peer_->start(15s, &error)) << error;
  }
  testing::ProcessResult run(std::vector<std::string> flags) {
    std::vector<std::string> argv{testing::h2conform_binary(), "-h", "127.0.0.1", "-p",
                                  std::to_string(peer_->port()), "-o", "2", "--cases",
                                  (source_dir() / "cases").string(), "--specs", testing::specs_dir()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return testing::Subprocess(argv).finish(30s);
  }
  // Exit 2, one line on stderr holding `text`, nothing on stdout.
  void expect_one_line(const testing::ProcessResult& r, const std::string& text) {
    EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  fs::path dir_;
  std::unique_ptr<peers::PeerProcess> peer_;
};

TEST_F(CliPreflightPeerTest, Http1ServerIsNotHttp2) {
  start("python3", "tests/peers/not_http2/http1.sh", "clear");
  // python3's http.server answers the preface with a bare HTML error page.
  const auto r = run({});
  expect_one_line(r, "127.0.0.1:" + std::to_string(peer_->port()) + " answered ");
  EXPECT_NE(r.err.find("not HTTP/2 (prior knowledge); is it an h2c port?"), std::string::npos) << r.err;
}

TEST_F(CliPreflightPeerTest, AnotherProtocolIsNotHttp2) {
  start("python3", "tests/peers/not_http2/garbage.sh", "clear");
  expect_one_line(run({}), "answered with text (\"SSH-2.0-OpenSSH_...\"), not HTTP/2");
}

TEST_F(CliPreflightPeerTest, TlsPortWithoutDashT) {
  start("nghttpd", "peers/nghttpd.sh", "tls");
  expect_one_line(run({}), "is it a TLS port? (try -t)");
}

TEST_F(CliPreflightPeerTest, CleartextPortWithDashT) {
  start("nghttpd", "peers/nghttpd.sh", "clear");
  expect_one_line(run({"-t", "-k"}), "the port does not speak TLS; for cleartext HTTP/2 (h2c) drop -t");
}

TEST_F(CliPreflightPeerTest, TlsServerWithoutAlpnH2) {
  start("openssl", "tests/peers/not_http2/tls_http1.sh", "tls");
  expect_one_line(run({"-t", "-k"}), "HTTP/2 is not enabled on this TLS port");
}

TEST_F(CliPreflightPeerTest, UntrustedCertificateSuggestsDashK) {
  start("nghttpd", "peers/nghttpd.sh", "tls");
  expect_one_line(run({"-t"}), "(use -k to skip certificate verification)");
}

TEST_F(CliPreflightPeerTest, MissingPathIsAWarningAndTheRunGoesOn) {
  start("nghttpd", "peers/nghttpd.sh", "clear");
  const auto r = run({"-P", "/no-such-page", "http2/6.5/1"});
  EXPECT_NE(r.exit_code, kExitHarness) << r.err;
  EXPECT_NE(r.err.find("h2conform: warning: GET /no-such-page answered 404"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("6.5"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace h2conform::cli

namespace h2conform::cli {
namespace {

// --record-corpus: a run against nghttpd leaves seeds for three fuzz targets, each named by the
// SHA-256 of its content; a second run into the same folder keeps what is there.
class CliRecordCorpusTest : public CliPreflightPeerTest {};

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() && e.path().filename().string().size() == 64;
  return n;
}

TEST_F(CliRecordCorpusTest, SeedsForThreeTargetsNamedByContent) {
  start("nghttpd", "peers/nghttpd.sh", "clear");
  const fs::path corpus = dir_ / "corpus";
  const auto first = run({"http2/6.5", "http2/6.9", "--record-corpus", corpus.string()});
  EXPECT_LE(first.exit_code, 1) << first.err;
  for (const char* target : {"frame_decoder", "hpack_decoder", "session"}) {
    ASSERT_TRUE(fs::is_directory(corpus / target)) << target;
    EXPECT_GT(files_in(corpus / target), 0u) << target;
  }
  // One seed of each kind, read back: its name is its hash (the content decides, not the run).
  const auto seed = fs::directory_iterator(corpus / "session")->path();
  const std::string hash = peers::capture_output("sha256sum '" + seed.string() + "' | cut -c1-64");
  EXPECT_EQ(hash.substr(0, 64), seed.filename().string());
  const std::size_t before = files_in(corpus / "frame_decoder");
  const auto second = run({"http2/6.5", "--record-corpus", corpus.string()});
  EXPECT_NE(second.out.find(" new fuzz seeds in " + corpus.string()), std::string::npos) << second.out;
  EXPECT_GE(files_in(corpus / "frame_decoder"), before);
  EXPECT_TRUE(fs::exists(seed));
}

TEST_F(CliRecordCorpusTest, AFolderThatCannotBeMadeIsAHarnessError) {
  start("nghttpd", "peers/nghttpd.sh", "clear");
  const fs::path file = dir_ / "a-file";
  { std::ofstream(file) << "x"; }
  const auto r = run({"http2/6.5", "--record-corpus", (file / "sub").string()});
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
  EXPECT_NE(r.err.find("--record-corpus: cannot make"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace h2conform::cli
