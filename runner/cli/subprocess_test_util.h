// Runs the built h2conform binary from tests: posix_spawn with stdout and stderr captured,
// every wait bounded by a deadline (poll on the pipes and a pidfd), SIGKILL when it passes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_data.h"

namespace h2conform::cli::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process ended by a signal or was killed at the deadline
  bool timed_out = false;
  std::string out, err;
  double seconds = 0;  // from start to exit
};

class Subprocess {
 public:
  // argv[0] is the program's path. `env` entries "NAME=VALUE" override the inherited
  // environment; an entry "NAME" without '=' removes NAME.
  Subprocess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~Subprocess();  // kills and reaps a child that is still running
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  bool started() const { return pid_ > 0; }
  // Reads output until stdout contains `text`, the child exits, or the timeout passes.
  bool wait_for_stdout(const std::string& text, std::chrono::milliseconds timeout);
  bool wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout);
  void send_signal(int sig);
  // Reads until the child exits and both pipes close, or kills it when the timeout passes.
  ProcessResult finish(std::chrono::milliseconds timeout);

 private:
  // One poll round; returns false when there is nothing left to wait for.
  bool pump(std::chrono::steady_clock::time_point deadline);
  void reap(bool block);

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1, pid_fd_ = -1;
  bool exited_ = false;
  int status_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point end_;
  ProcessResult result_;
};

// Runs the h2conform binary with `args` and waits for it (default: 20 s at most).
ProcessResult run_h2conform(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(20));
std::string h2conform_binary();

// A fresh, empty folder under the system temp folder, unique to this test.
std::filesystem::path fresh_temp_dir(const std::string& name);
void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);

// --cases and --specs naming the source tree's catalogue, then `args` (so that a flag at the end
// of `args` has no value, and "-- SPEC..." may follow). A subcommand after them finds the same
// catalogue by default.
std::vector<std::string> with_real_catalogue(const std::vector<std::string>& args);

// A small catalogue of four valid cases (three MUST, one SHOULD) under dir/cases; returns it.
std::filesystem::path write_sample_catalogue(const std::filesystem::path& dir);
// The source tree's specs/ (tests/support/test_data.h).
std::string specs_dir();

// A test with its own temp folder holding the sample catalogue, removed afterwards.
class SampleCatalogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    cases_ = write_sample_catalogue(dir_).string();
    ASSERT_TRUE(std::filesystem::is_directory(specs_dir())) << specs_dir() << " (H2CONFORM_SOURCE_DIR)";
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  // `args` followed by --cases and --specs naming the sample catalogue.
  std::vector<std::string> with_catalogue(std::vector<std::string> args) const {
    args.insert(args.end(), {"--cases", cases_, "--specs", specs_dir()});
    return args;
  }
  std::filesystem::path dir_;
  std::string cases_;
};

}  // namespace h2conform::cli::testing
