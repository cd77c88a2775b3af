// h2spec 2.6 command lines, as its README documents them (flags, spec selectors, flag order),
// run through the built binary with --dryrun against the real catalogue: each must be accepted
// (exit 0) and select cases. Also the decoders' `decode frame|hpack` spelling, which leaves
// `hpack` free as a selector, and `decode frame`'s exit codes on bad frames.
#include <filesystem>

#include <gtest/gtest.h>

#include "runner/cli/commands.h"
#include "runner/cli/subprocess_test_util.h"
#include "tests/support/test_data.h"

namespace h2conform::cli {
namespace {

using testing::run_h2conform;

using testing::with_real_catalogue;

struct H2specRow {
  const char* name;
  std::vector<std::string> args;  // always with --dryrun somewhere
  friend void PrintTo(const H2specRow& row, std::ostream* os) { *os << row.name; }
};

class H2specCommandLine : public ::testing::TestWithParam<H2specRow> {};

TEST_P(H2specCommandLine, IsAcceptedAndSelectsCases) {
  const auto r = run_h2conform(with_real_catalogue(GetParam().args));
  EXPECT_EQ(r.exit_code, kExitPass) << r.out << r.err;
  EXPECT_NE(r.out.find(" selected"), std::string::npos) << r.out;
  // "0 cases selected" at the start of a line ("50 cases selected" contains it too).
  EXPECT_FALSE(r.out.starts_with("0 cases selected") || r.out.find("\n0 cases selected") != std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
}

INSTANTIATE_TEST_SUITE_P(
    Rows, H2specCommandLine,
    ::testing::Values(
        H2specRow{"all", {"--dryrun"}},
        H2specRow{"groupHttp2", {"http2", "--dryrun"}},
        H2specRow{"groupHpack", {"hpack", "--dryrun"}},
        H2specRow{"groupGeneric", {"generic", "--dryrun"}},
        H2specRow{"groupPriority", {"priority", "--dryrun"}},
        H2specRow{"dryrunBeforeHpack", {"--dryrun", "hpack"}},
        H2specRow{"hostPortThenHpack", {"-h", "127.0.0.1", "-p", "8443", "hpack", "--dryrun"}},
        H2specRow{"hpackThenHost", {"hpack", "-h", "127.0.0.1", "--dryrun"}},
        H2specRow{"section", {"http2/6.5", "--dryrun"}},
        H2specRow{"subsection", {"http2/5.1.1", "--dryrun"}},
        H2specRow{"h2specId", {"http2/6.5/1", "--dryrun"}},
        H2specRow{"genericId", {"generic/3.2/1", "--dryrun"}},
        H2specRow{"genericSection", {"generic/3", "--dryrun"}},
        H2specRow{"hpackId", {"hpack/4.2/1", "--dryrun"}},
        H2specRow{"severalSelectors", {"http2/5.1", "hpack/2.3.3", "generic/2", "--dryrun"}},
        H2specRow{"readmeExample", {"http2/3.5/1", "-h", "192.168.122.204", "-k", "--junit-report", "junit.report",
                                    "-p", "3443", "-t", "-v", "--dryrun"}},
        H2specRow{"selectorsAfterFlags", {"-h", "127.0.0.1", "-p", "18080", "-o", "5", "-S", "--dryrun", "http2/8.1"}},
        H2specRow{"selectorsBetweenFlags", {"-t", "http2/4", "-k", "generic", "--dryrun", "-p", "443"}},
        H2specRow{"longFlags", {"--host", "::1", "--port", "8443", "--tls", "--insecure", "--timeout", "3",
                                "--strict", "--verbose", "--path", "/index.html", "--junit-report", "j.xml",
                                "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", "--max-header-length", "8000",
                                "--dryrun"}},
        H2specRow{"equalsForm", {"--port=8443", "--timeout=1", "--path=/x", "--max-header-length=100", "--dryrun"}},
        H2specRow{"attachedShortValue", {"-p8443", "-o1", "--dryrun"}},
        H2specRow{"combinedShortFlags", {"-tk", "-p", "8443", "--dryrun"}},
        H2specRow{"combinedShortFlagsWithStrictVerbose", {"-tkSv", "--dryrun"}},
        H2specRow{"timeoutZero", {"-o", "0", "--dryrun"}},
        H2specRow{"maxHeaderLength", {"--max-header-length", "1", "--dryrun"}},
        H2specRow{"ciphersShort", {"-c", "AES128-GCM-SHA256:AES256-GCM-SHA384", "-t", "--dryrun"}},
        H2specRow{"pathShort", {"-P", "/search?q=1", "--dryrun"}},
        H2specRow{"junitShort", {"-j", "report.xml", "--dryrun"}},
        H2specRow{"strictMayCases", {"-S", "http2/5.4.1", "--dryrun"}},
        H2specRow{"doubleDashThenSelectors", {"--dryrun", "--", "hpack", "http2/6.5/1"}}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(H2specCommandLine, HpackSelectsTheHpackCases) {
  const auto r = run_h2conform(with_real_catalogue({"hpack", "--dryrun"}));
  ASSERT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("[hpack/4.2/1]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("rfc9113/"), std::string::npos) << r.out;
}

TEST(H2specCommandLine, VersionAndHelpExitZero) {
  auto r = run_h2conform({"--version"});
  EXPECT_EQ(r.exit_code, kExitPass);
  r = run_h2conform({"--help"});
  EXPECT_EQ(r.exit_code, kExitPass);
  EXPECT_NE(r.out.find("--max-header-length"), std::string::npos);
}

TEST(DecodeCommand, DecodesFramesAndHpackBlocks) {
  auto r = run_h2conform({"decode", "frame", (h2conform::testing::vectors_dir() / "http2-frame-test-case" / "ping" / "normal.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("\"wire\""), std::string::npos) << r.out;
  // The older spelling still works.
  r = run_h2conform({"frame", "decode", (h2conform::testing::vectors_dir() / "http2-frame-test-case" / "ping" / "normal.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("\"wire\""), std::string::npos) << r.out;
  r = run_h2conform({"decode", "hpack", "--check", (h2conform::testing::vectors_dir() / "hpack-test-case" / "nghttp2" / "story_00.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find(" blocks, 0 mismatches"), std::string::npos) << r.out;
  r = run_h2conform({"decode", "hpack", "--check", "/nonexistent-story.json"});
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("/nonexistent-story.json"), std::string::npos) << r.err;
}

TEST(DecodeCommand, HelpNamesBothDecodersWithFilePositionals) {
  auto r = run_h2conform({"decode", "--help"});
  EXPECT_EQ(r.exit_code, kExitPass);
  EXPECT_NE(r.out.find("frame"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hpack"), std::string::npos) << r.out;
  for (const char* which : {"frame", "hpack"}) {
    r = run_h2conform({"decode", which, "--help"});
    EXPECT_EQ(r.exit_code, kExitPass);
    EXPECT_NE(r.out.find("\n  FILE "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\n  files "), std::string::npos) << r.out;
  }
}

TEST(DecodeCommand, OldHpackDecodeSpellingSaysTheNewOne) {
  const auto r = run_h2conform({"hpack", "decode", "story.json"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("decode hpack"), std::string::npos) << r.err;
}


// PING frames as bytes: a good one, one cut short, one with a 7-octet payload (RFC 9113 §6.7).
const std::string kPing = std::string("\x00\x00\x08\x06\x00\x00\x00\x00\x00", 9) + "12345678";
const std::string kShortPing = kPing.substr(0, 12);
const std::string kBadPing = std::string("\x00\x00\x07\x06\x00\x00\x00\x00\x00", 9) + "1234567";

struct RawRow {
  const char* name;
  std::string bytes;
  int exit_code;
  friend void PrintTo(const RawRow& row, std::ostream* os) { *os << row.name; }
};
class DecodeRawFrames : public ::testing::TestWithParam<RawRow> {};

TEST_P(DecodeRawFrames, ExitsOneOnAnInvalidOrIncompleteFrame) {
  const auto dir = testing::fresh_temp_dir(std::string("raw_") + GetParam().name);
  const auto file = dir / "frames.bin";
  testing::write_file(file, GetParam().bytes);
  const auto r = run_h2conform({"decode", "frame", "--raw", file.string()});
  EXPECT_EQ(r.exit_code, GetParam().exit_code) << r.out << r.err;
  EXPECT_NE(r.out.find("\"offset\":0"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Rows, DecodeRawFrames,
                         ::testing::Values(RawRow{"onePing", kPing, kExitPass},
                                           RawRow{"twoPings", kPing + kPing, kExitPass},
                                           RawRow{"cutShort", kPing + kShortPing, kExitFail},
                                           RawRow{"badLength", kBadPing, kExitFail}),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(DecodeCommand, RawBytesWithoutRawSayWhichFormatIsExpected) {
  const auto dir = testing::fresh_temp_dir("raw_without_flag");
  testing::write_file(dir / "frames.bin", kPing);
  const auto r = run_h2conform({"decode", "frame", (dir / "frames.bin").string()});
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("not an http2-frame-test-case JSON file (use --raw"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(DecodeCommand, HexLinesWithABadFrameExitOne) {
  for (const auto& [input, code] : {std::pair{"000008060000000000" "3132333435363738", kExitPass},
                                    std::pair{"00000806000000000031", kExitFail}}) {
    const std::string command = std::string("echo ") + input + " | '" + testing::h2conform_binary() + "' decode frame -";
    testing::Subprocess shell({"/bin/sh", "-c", command});
    const auto r = shell.finish(std::chrono::seconds(20));
    EXPECT_EQ(r.exit_code, code) << input << "\n" << r.out << r.err;
  }
}

}  // namespace
}  // namespace h2conform::cli
