#include "reports/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace h2conform::reports {

std::string write_file_atomically(const std::filesystem::path& path,
                                  const std::function<void(std::ostream&)>& render) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return path.string() + ": cannot create " + tmp.string() + ": " + std::strerror(errno);
    render(out);
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return path.string() + ": write failed";
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return path.string() + ": rename failed: " + ec.message();
  }
  return {};
}

}  // namespace h2conform::reports
