#include "reports/atomic_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace h2conform::reports {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxLinks = 40;           // as the kernel's own limit on a path's symlinks
constexpr int kWriteStallMs = 30'000;   // a descriptor that accepts nothing for this long fails

std::string errno_text(int error) { return std::strerror(error); }

// The descriptor a path names directly: "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N.
std::optional<int> descriptor_of(const fs::path& path) {
  const std::string p = path.string();
  if (p == "-" || p == "/dev/stdout") return 1;
  if (p == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!p.starts_with(prefix)) continue;
    const std::string_view digits = std::string_view(p).substr(prefix.size());
    int fd = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
    if (ec == std::errc() && end == digits.data() + digits.size() && fd >= 0) return fd;
  }
  return std::nullopt;
}

struct Resolved {
  std::optional<int> fd;  // the path names a descriptor of this process
  fs::path path;          // else: the final path, no longer a symlink
  std::string error;
};

// Follows symbolic links one at a time, so that a link to /dev/stdout is still seen as one.
Resolved resolve(fs::path path) {
  for (int hop = 0; hop <= kMaxLinks; ++hop) {
    if (auto fd = descriptor_of(path)) return {fd, {}, {}};
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) return {std::nullopt, path, {}};
    fs::path target = fs::read_symlink(path, ec);
    if (ec) return {std::nullopt, {}, "cannot read the link: " + ec.message()};
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  return {std::nullopt, {}, "too many levels of symbolic links"};
}

std::string write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, kWriteStallMs) <= 0) return "the reader accepted nothing for 30 s";
    } else {
      return "write failed: " + errno_text(n < 0 ? errno : EIO);
    }
  }
  return {};
}

using Render = std::function<void(std::ostream&)>;

// A stream buffer that writes to a descriptor in 64 KiB pieces, so that a report is never held
// whole in memory; the first write error stops it and is kept.
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  const std::string& error() const { return error_; }

 protected:
  int sync() override { return flush_buffer() ? 0 : -1; }
  int_type overflow(int_type ch) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

 private:
  bool flush_buffer() {
    if (error_.empty() && pptr() > pbase()) error_ = write_all(fd_, std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    setp(buf_, buf_ + sizeof buf_);
    return error_.empty();
  }
  int fd_;
  char buf_[1 << 16];
  std::string error_;
};

std::string render_to(int fd, const Render& render) {
  auto buffer = std::make_unique<DescriptorBuffer>(fd);
  std::ostream out(buffer.get());
  render(out);
  out.flush();
  return buffer->error();
}

std::string write_to_descriptor(int fd, const Render& render) {
  // What this process already printed to the same descriptor goes first.
  if (fd == 1) std::cout.flush();
  if (fd == 2) std::cerr.flush();
  std::fflush(nullptr);
  return render_to(fd, render);
}

// A character device, FIFO or socket: a stream, never replaced.
std::string write_to_special(const fs::path& path, const Render& render) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return errno == ENXIO ? "no process reads this FIFO" : "cannot open: " + errno_text(errno);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string error = render_to(fd, render);
  ::close(fd);
  return error;
}

mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// A new or regular file: a temporary file beside it, renamed over it.
std::string write_replacing(const fs::path& path, const Render& render, std::optional<mode_t> mode) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string name = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return "cannot write in " + dir.string() + ": " + errno_text(errno);
  ::fchmod(fd, mode.value_or(new_file_mode()));
  std::string error = render_to(fd, render);
  if (::close(fd) != 0 && error.empty()) error = "write failed: " + errno_text(errno);
  if (error.empty() && ::rename(name.c_str(), path.c_str()) != 0) error = "cannot replace: " + errno_text(errno);
  if (!error.empty()) ::unlink(name.c_str());
  return error;
}

}  // namespace

std::string write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& render) {
  const Resolved where = resolve(path);
  if (!where.error.empty()) return path.string() + ": " + where.error;
  std::string error;
  if (where.fd) {
    error = write_to_descriptor(*where.fd, render);
  } else {
    struct stat st {};
    if (::stat(where.path.c_str(), &st) != 0) {
      error = errno == ENOENT ? write_replacing(where.path, render, std::nullopt)
                              : "cannot examine: " + errno_text(errno);
    } else if (S_ISREG(st.st_mode)) {
      error = write_replacing(where.path, render, st.st_mode & 07777);
    } else if (S_ISDIR(st.st_mode)) {
      error = "is a directory";
    } else {
      error = write_to_special(where.path, render);
    }
  }
  return error.empty() ? std::string() : path.string() + ": " + error;
}

std::string check_report_path(const fs::path& path) {
  const Resolved where = resolve(path);
  if (!where.error.empty()) return path.string() + ": " + where.error;
  if (where.fd) return {};
  struct stat st {};
  if (::stat(where.path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return path.string() + ": is a directory";
    if (!S_ISREG(st.st_mode)) {
      return ::access(where.path.c_str(), W_OK) == 0 ? std::string() : path.string() + ": not writable";
    }
  } else if (errno != ENOENT) {
    return path.string() + ": cannot examine: " + errno_text(errno);
  }
  const fs::path dir = where.path.has_parent_path() ? where.path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return path.string() + ": the folder " + dir.string() + " does not exist";
  if (::access(dir.c_str(), W_OK) != 0) return path.string() + ": the folder " + dir.string() + " is not writable";
  return {};
}

}  // namespace h2conform::reports
