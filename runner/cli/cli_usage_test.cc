// Usage errors in h2conform's words, help without validator noise, `help`/`version`, `show` of an
// h2spec id, --color, and `report` with --baseline and --write-known-failures. Runs the built
// binary (no network).
#include <filesystem>

#include <gtest/gtest.h>

#include "reports/json_report.h"
#include "runner/cli/commands.h"
#include "runner/cli/subprocess_test_util.h"
#include "tests/support/test_data.h"

namespace h2conform::cli {
namespace {

using testing::run_h2conform;

using testing::with_real_catalogue;

struct MessageRow {
  const char* name;
  std::vector<std::string> args;
  const char* message;  // the whole stderr line, without the newline
  friend void PrintTo(const MessageRow& row, std::ostream* os) { *os << row.name; }
};
class UsageMessage : public ::testing::TestWithParam<MessageRow> {};

TEST_P(UsageMessage, Exits64WithOneLineNamingTheProblem) {
  const auto r = run_h2conform(with_real_catalogue(GetParam().args));
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_EQ(r.err, std::string(GetParam().message) + "\n");
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Rows, UsageMessage,
    ::testing::Values(
        MessageRow{"portNotANumber", {"-p", "abc"}, "h2conform: --port: \"abc\" is not a number"},
        MessageRow{"portOutOfRange", {"-p", "70000"}, "h2conform: --port: 70000 is out of range (1 to 65535)"},
        MessageRow{"portZero", {"--port=0"}, "h2conform: --port: 0 is out of range (1 to 65535)"},
        MessageRow{"negativeTimeout", {"-o", "-1"}, "h2conform: --timeout: -1 is out of range (0 to 3600)"},
        MessageRow{"timeoutNotANumber", {"-o", "2s"}, "h2conform: --timeout: \"2s\" is not a number"},
        MessageRow{"parallelZero", {"--parallel", "0"}, "h2conform: --parallel: 0 is out of range (1 to 256)"},
        MessageRow{"maxHeaderLengthText", {"--max-header-length", "big"},
                   "h2conform: --max-header-length: \"big\" is not a number"},
        MessageRow{"portWithoutValue", {"--dryrun", "-p"}, "h2conform: --port: needs a value"},
        MessageRow{"selectorBeforeSubcommand", {"http2", "list"},
                   "h2conform: \"http2\" comes before the list subcommand, which would ignore it; put selectors "
                   "after it (h2conform list http2)"},
        MessageRow{"unknownLongFlag", {"--bogus"}, "h2conform: unknown flag --bogus (see --help)"},
        MessageRow{"unknownShortFlag", {"-x"}, "h2conform: unknown flag -x (see --help)"},
        MessageRow{"misspeltGroup", {"htpp2", "--dryrun"},
                   "h2conform: unknown spec selector \"htpp2\" (did you mean \"http2\"?)"},
        MessageRow{"misspeltNextToAValidOne", {"--dryrun", "http2/5.1.1", "htpp2"},
                   "h2conform: unknown spec selector \"htpp2\" (did you mean \"http2\"?)"},
        MessageRow{"misspeltH2specId", {"--dryrun", "http2/6.5/99"},
                   "h2conform: unknown spec selector \"http2/6.5/99\" (did you mean \"http2/6.5/1\"?)"},
        MessageRow{"misspeltExclude", {"--dryrun", "--exclude", "hpak"},
                   "h2conform: unknown --exclude selector \"hpak\" (did you mean \"hpack\"?)"},
        MessageRow{"unknownExcludeFarFromAll", {"--dryrun", "--exclude", "zzzzzzzzzzzzzzzz"},
                   "h2conform: unknown --exclude selector \"zzzzzzzzzzzzzzzz\" (see h2conform list)"},
        MessageRow{"clientUnknownFarFromAll", {"client", "--dryrun", "--exclude", "zzzzzzzzzzzzzzzz"},
                   "h2conform: unknown --exclude selector \"zzzzzzzzzzzzzzzz\" (see h2conform list --role client)"},
        MessageRow{"shouldOnlyWithoutStrict", {"--dryrun", "http2/5.3.1/1"},
                   "h2conform: no case matches the selection (see h2conform list); it selects only SHOULD "
                   "and MAY cases, which run with -S/--strict"},
        MessageRow{"listMisspelt", {"list", "genric"},
                   "h2conform: unknown spec selector \"genric\" (did you mean \"generic\"?)"},
        MessageRow{"badColour", {"--color", "sometimes"},
                   "h2conform: --color: \"sometimes\" is not auto, always or never"},
        MessageRow{"coverageWithoutDryrun", {"--coverage"}, "h2conform: --coverage works only with --dryrun"}),
    [](const auto& row) { return std::string(row.param.name); });

// `list --role client` lists the client catalogue, the one `h2conform client` runs; the
// default is the server catalogue.
TEST(CliList, RoleChoosesTheCatalogue) {
  for (const std::string role : {"server", "client"}) {
    const auto r = run_h2conform({"list", "--role", role, "rfc9113/6.5"});
    ASSERT_EQ(r.exit_code, kExitPass) << r.err;
    EXPECT_NE(r.out.find("\t" + role + "\t"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(role == "server" ? "\tclient\t" : "\tserver\t"), std::string::npos) << r.out;
  }
  const auto plain = run_h2conform({"list", "rfc9113/6.5"});
  EXPECT_EQ(plain.out, run_h2conform({"list", "--role", "server", "rfc9113/6.5"}).out);
  EXPECT_EQ(run_h2conform({"list", "--role", "proxy"}).exit_code, kExitUsage);
}

TEST(CliHelp, ListsExitCodesAndAnExampleWithoutValidatorNoise) {
  const auto r = run_h2conform({"--help"});
  ASSERT_EQ(r.exit_code, kExitPass);
  EXPECT_NE(r.out.find("Exit codes: 0 all cases passed, 1 a case failed, 2 harness error"), std::string::npos);
  for (const char* code : {" 64 usage error", " 130 interrupted"}) EXPECT_NE(r.out.find(code), std::string::npos);
  EXPECT_NE(r.out.find("Example: h2conform -h 127.0.0.1 -p 8443"), std::string::npos);
  for (const char* noise : {"INT in [", "Needs:", "TEXT:PATH", ":TOKEN", ":NAME:VALUE", "FLOAT in", "Excludes:"})
    EXPECT_EQ(r.out.find(noise), std::string::npos) << noise << "\n" << r.out;
  EXPECT_NE(r.out.find("decode"), std::string::npos);
}

TEST(CliHelp, HelpAndVersionWordsDoWhatTheySay) {
  auto r = run_h2conform({"help"});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("Usage: h2conform"), std::string::npos) << r.out;
  r = run_h2conform({"version"});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_EQ(r.out, "h2conform " H2CONFORM_VERSION "\n");
}

std::vector<std::string> show_args(const std::string& id) {
  return {"show", id, "--cases", h2conform::testing::cases_dir().string(), "--specs", testing::specs_dir()};
}

TEST(CliShow, AcceptsAnH2specIdAndShowsEveryCaseItMapsTo) {
  auto r = run_h2conform(show_args("http2/6.5/1"));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("h2spec: http2/6.5/1"), std::string::npos) << r.out;
  r = run_h2conform(show_args("http2/4.1/1"));  // a family of cases
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("h2spec http2/4.1/1: "), std::string::npos) << r.out;
  EXPECT_GT(r.out.find("id: ", r.out.find("id: ") + 1), r.out.find("id: ")) << r.out;
  r = run_h2conform(show_args("http2/99.1/1"));
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("\"http2/99.1/1\""), std::string::npos) << r.err;
}

// A results file with one passing and one failing case.
class CliReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    engine::RunResult run;
    run.target = "sample";
    run.settings.selectors = {"a"};
    for (const auto& [id, verdict] :
         {std::pair{"a/1/pass", engine::Verdict::kPass}, std::pair{"a/2/fail", engine::Verdict::kFail}}) {
      engine::CaseResult c;
      c.id = id;
      c.section = "RFC 9113 6.8";
      c.level = "MUST";
      c.verdict = verdict;
      c.reason = "because";
      run.cases.push_back(c);
    }
    run_json_ = (dir_ / "run.json").string();
    ASSERT_EQ(reports::write_json_report_file(run, run_json_), "");
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::filesystem::path dir_;
  std::string run_json_;
};

TEST_F(CliReportTest, WriteKnownFailuresExitsZeroOnceWritten) {
  const auto list = dir_ / "known.txt";
  auto r = run_h2conform({"report", run_json_, "--write-known-failures", list.string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_EQ(r.out, "Wrote 1 known failure to " + list.string() + "\n");
  EXPECT_NE(testing::read_file(list).find("a/2/fail\tfail\n"), std::string::npos);
  r = run_h2conform({"report", run_json_, "--write-known-failures", (dir_ / "no" / "such" / "k.txt").string()});
  EXPECT_EQ(r.exit_code, kExitHarness);
}

TEST_F(CliReportTest, BaselineComparesOnlyTheCasesOfTheResultsFile) {
  const auto list = dir_ / "known.txt";
  testing::write_file(list, "a/2/fail\nb/9/elsewhere\n");
  const auto r = run_h2conform({"report", run_json_, "--baseline", list.string(), "--color", "never"});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_EQ(r.out.find("Gone"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 regressions, 0 fixed, 0 new, 0 gone, 0 changed, 2 unchanged"), std::string::npos) << r.out;
}

struct ColourRow {
  const char* name;
  std::vector<std::string> flags;
  std::vector<std::string> env;
  bool colour;
  friend void PrintTo(const ColourRow& row, std::ostream* os) { *os << row.name; }
};
class CliReportColour : public CliReportTest, public ::testing::WithParamInterface<ColourRow> {};

// Output goes to a pipe, so auto means no colour unless the environment forces it.
TEST_P(CliReportColour, FollowsTheFlagAndTheEnvironment) {
  std::vector<std::string> args = {"report", run_json_};
  args.insert(args.end(), GetParam().flags.begin(), GetParam().flags.end());
  std::vector<std::string> env = {"NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"};
  env.insert(env.end(), GetParam().env.begin(), GetParam().env.end());
  const auto r = run_h2conform(args, env);
  EXPECT_EQ(r.exit_code, kExitFail) << r.err;
  EXPECT_EQ(r.out.find("\x1b[") != std::string::npos, GetParam().colour) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, CliReportColour,
    ::testing::Values(ColourRow{"autoPipe", {}, {}, false},
                      ColourRow{"alwaysPipe", {"--color=always"}, {}, true},
                      ColourRow{"alwaysBeatsNoColor", {"--color", "always"}, {"NO_COLOR=1"}, true},
                      ColourRow{"forceColorEnv", {}, {"FORCE_COLOR=1"}, true},
                      ColourRow{"clicolorForceEnv", {}, {"CLICOLOR_FORCE=1", "TERM=dumb"}, true},
                      ColourRow{"neverBeatsForceColor", {"--color=never"}, {"FORCE_COLOR=1"}, false}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::cli
