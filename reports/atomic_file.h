// Report files: every report that writes a file goes through write_file_atomically.
//
// Contract: what is at the path decides how it is written, so that nothing but a report is
// ever replaced:
// - a new path or a regular file: the content goes to a temporary file in the same folder,
//   which is then renamed over the path (a reader, or an interrupted run, never sees half a
//   report; an existing file keeps its permissions);
// - a symbolic link: the same, at the file the link finally points to; the link stays;
// - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: written to that descriptor
//   of this process, after what was already written to it;
// - a character device, FIFO or socket (/dev/null, a named pipe): opened and written as a
//   stream. A FIFO that no process reads is an error, not a wait.
// The report is rendered straight into its destination in 64 KiB pieces, never held whole in
// memory (a run against a hostile target can hold tens of MB of transcripts).
// Errors are values: the returned string is empty on success, otherwise "<path>: <what
// failed>". Never throws.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace h2conform::reports {

// Renders into `path` as above. On failure `path` (and what it points to) is left as it was.
std::string write_file_atomically(const std::filesystem::path& path,
                                  const std::function<void(std::ostream&)>& render);

// Whether a report could be written to `path` later, without writing it: "" when it looks
// writable, otherwise "<path>: <why not>" (a missing or read-only folder, a directory, a
// FIFO nobody reads is not checked). For checking report paths before a run starts.
std::string check_report_path(const std::filesystem::path& path);

}  // namespace h2conform::reports
