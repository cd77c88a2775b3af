// Atomic report files: every report that writes a file goes through write_file_atomically.
//
// Contract: the content is written to "<path>.tmp", flushed, then renamed over <path>, so a
// reader (or an interrupted run) never sees a half-written report. Errors are values: the
// returned string is empty on success, otherwise "<path>: <what failed>". Never throws.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace h2conform::reports {

// Calls `render` with a stream into "<path>.tmp", then renames it to `path`.
// On failure the temporary file is removed and `path` is left as it was.
std::string write_file_atomically(const std::filesystem::path& path,
                                  const std::function<void(std::ostream&)>& render);

}  // namespace h2conform::reports
