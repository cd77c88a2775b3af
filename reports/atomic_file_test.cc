#include "reports/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace h2conform::reports {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

auto text(const std::string& content) {
  return [content](std::ostream& out) { out << content; };
}

// Reads a descriptor until EOF, bounded by count of reads.
std::string read_all(int fd) {
  std::string got;
  char buf[4096];
  for (int reads = 0; reads < 10000; ++reads) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

class ReportFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "h2c-report-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Nothing but the named entries is left in the folder (no temporary files).
  void expect_only(std::initializer_list<std::string> names) {
    std::set<std::string> want(names), have;
    for (const auto& e : fs::directory_iterator(dir_)) have.insert(e.path().filename().string());
    EXPECT_EQ(have, want);
  }
  fs::path dir_;
};

TEST_F(ReportFile, CreatesANewFile) {
  EXPECT_EQ(write_file_atomically(dir_ / "r.json", text("{}\n")), "");
  EXPECT_EQ(slurp(dir_ / "r.json"), "{}\n");
  expect_only({"r.json"});
}

TEST_F(ReportFile, ReplacesARegularFileAndKeepsItsPermissions) {
  std::ofstream(dir_ / "r.json") << "old content that is longer";
  ASSERT_EQ(::chmod((dir_ / "r.json").c_str(), 0640), 0);
  EXPECT_EQ(write_file_atomically(dir_ / "r.json", text("new")), "");
  EXPECT_EQ(slurp(dir_ / "r.json"), "new");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "r.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  expect_only({"r.json"});
}

TEST_F(ReportFile, WritesThroughASymlinkAndKeepsTheLink) {
  std::ofstream(dir_ / "real.json") << "old";
  fs::create_symlink("real.json", dir_ / "link.json");
  EXPECT_EQ(write_file_atomically(dir_ / "link.json", text("new")), "");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.json")));
  EXPECT_EQ(slurp(dir_ / "real.json"), "new");
  expect_only({"real.json", "link.json"});
}

TEST_F(ReportFile, WritesThroughAChainOfSymlinksToAMissingFile) {
  fs::create_directory(dir_ / "sub");
  fs::create_symlink(dir_ / "sub" / "target.xml", dir_ / "a");
  fs::create_symlink("a", dir_ / "b");
  EXPECT_EQ(write_file_atomically(dir_ / "b", text("x")), "");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "b")));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "a")));
  EXPECT_EQ(slurp(dir_ / "sub" / "target.xml"), "x");
}

TEST_F(ReportFile, StreamsIntoAFifoWithoutReplacingIt) {
  const fs::path fifo = dir_ / "pipe.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The reader opens the FIFO first, so the writer finds it read; the report is smaller than the
  // pipe's buffer, so the writer never waits, and the reader drains it afterwards.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  EXPECT_EQ(write_file_atomically(fifo, text("streamed report")), "");
  ::fcntl(reader, F_SETFL, ::fcntl(reader, F_GETFL) & ~O_NONBLOCK);
  EXPECT_EQ(read_all(reader), "streamed report");
  ::close(reader);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  expect_only({"pipe.json"});
}

TEST_F(ReportFile, AFifoNobodyReadsIsAnErrorNotAWait) {
  const fs::path fifo = dir_ / "pipe.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string error = write_file_atomically(fifo, text("x"));
  EXPECT_NE(error.find("no process reads this FIFO"), std::string::npos) << error;
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(ReportFile, WritesToADescriptorPathAfterWhatWasWritten) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "before;", 7), 7);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  EXPECT_EQ(write_file_atomically(path, text("report")), "");
  ::close(fds[1]);
  EXPECT_EQ(read_all(fds[0]), "before;report");
  ::close(fds[0]);
}

TEST_F(ReportFile, ASymlinkToADescriptorIsWrittenToTheDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  fs::create_symlink("/proc/self/fd/" + std::to_string(fds[1]), dir_ / "out");
  EXPECT_EQ(write_file_atomically(dir_ / "out", text("through the link")), "");
  ::close(fds[1]);
  EXPECT_EQ(read_all(fds[0]), "through the link");
  ::close(fds[0]);
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "out")));
}

// "-" and /dev/stdout are this process's standard output, whatever it is (here a pipe).
TEST_F(ReportFile, DashAndDevStdoutAreStandardOutput) {
  for (const char* path : {"-", "/dev/stdout"}) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    std::fflush(stdout);
    const int saved = ::dup(1);
    ASSERT_GE(saved, 0);
    ASSERT_EQ(::dup2(fds[1], 1), 1);
    const std::string error = write_file_atomically(path, text("to stdout"));
    ::dup2(saved, 1);
    ::close(saved);
    ::close(fds[1]);
    EXPECT_EQ(error, "") << path;
    EXPECT_EQ(read_all(fds[0]), "to stdout") << path;
    ::close(fds[0]);
  }
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/stdout", &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "/dev/stdout must still be the system's link";
}

TEST_F(ReportFile, ACharacterDeviceIsWrittenNotReplaced) {
  // /dev/null itself is safe to write: it must stay a character device.
  EXPECT_EQ(write_file_atomically("/dev/null", text("discarded")), "");
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(ReportFile, ADirectoryIsRefused) {
  EXPECT_EQ(write_file_atomically(dir_, text("x")), dir_.string() + ": is a directory");
}

TEST_F(ReportFile, MissingFolderNamesThePathWithoutTemporaryNames) {
  const std::string error = write_file_atomically(dir_ / "nosuch" / "j.xml", text("x"));
  EXPECT_EQ(error.find(".tmp"), std::string::npos) << error;
  EXPECT_EQ(error.rfind((dir_ / "nosuch" / "j.xml").string() + ": ", 0), 0u) << error;
}

TEST_F(ReportFile, CheckFindsAMissingFolderBeforeARun) {
  EXPECT_EQ(check_report_path(dir_ / "nosuch" / "j.xml"),
            (dir_ / "nosuch" / "j.xml").string() + ": the folder " + (dir_ / "nosuch").string() + " does not exist");
  EXPECT_EQ(check_report_path(dir_), dir_.string() + ": is a directory");
  EXPECT_EQ(check_report_path(dir_ / "new.json"), "");
  EXPECT_EQ(check_report_path("-"), "");
  EXPECT_EQ(check_report_path("/dev/stdout"), "");
  EXPECT_EQ(check_report_path("/dev/null"), "");
  // Nothing was created by checking.
  expect_only({});
}

}  // namespace
}  // namespace h2conform::reports
