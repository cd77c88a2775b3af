#include "runner/engine/run/preflight.h"

#include <algorithm>
#include <array>

#include "runner/engine/connection/liveness.h"
#include "runner/engine/connection/session.h"
#include "runner/wire/frame.h"
#include "runner/wire/frame_types.h"
#include "runner/wire/hex.h"

namespace h2conform::engine {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kKeepBytes = 1024;  // enough for a status line or a frame header
constexpr int kMaxReads = 64;
constexpr int kMaxEvents = 256;
constexpr std::string_view kHttp1 = "HTTP/1.";
constexpr milliseconds kStatusWait{1000};

bool starts_with(const transport::Bytes& bytes, std::string_view prefix) {
  const std::size_t n = std::min(bytes.size(), prefix.size());
  return std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n), prefix.begin());
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// A TLS record header (RFC 8446 §5.1): handshake (22) or alert (21), legacy version 3.x.
bool looks_like_tls_record(const transport::Bytes& bytes) {
  return bytes.size() >= 2 && (bytes[0] == 0x15 || bytes[0] == 0x16) && bytes[1] == 0x03;
}

// The first line of an HTTP/1.x answer, printable characters only, at most 80 of them.
std::string status_line(const transport::Bytes& bytes) {
  std::string line;
  for (std::uint8_t ch : bytes) {
    if (ch == '\r' || ch == '\n' || line.size() == 80) break;
    line += (ch >= 0x20 && ch < 0x7f) ? static_cast<char>(ch) : '?';
  }
  return line;
}

constexpr std::size_t kShownBytes = 16;

// Text, as an HTTP/1.x error page or another line-based protocol would send.
bool is_text(const transport::Bytes& bytes) {
  const std::size_t n = std::min(bytes.size(), kShownBytes);
  return std::all_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n), [](std::uint8_t ch) {
    return (ch >= 0x20 && ch < 0x7f) || ch == '\r' || ch == '\n' || ch == '\t';
  });
}

// The first bytes for a message: as text when they are printable, else as hex.
std::string show_bytes(const transport::Bytes& bytes) {
  const std::size_t n = std::min(bytes.size(), kShownBytes);
  const wire::ByteView head(bytes.data(), n);
  if (!is_text(bytes)) return wire::to_hex(head) + (bytes.size() > n ? "..." : "");
  std::string text(head.begin(), head.end());
  std::replace_if(text.begin(), text.end(), [](char ch) { return ch == '\r' || ch == '\n' || ch == '\t'; }, ' ');
  return "\"" + text + (bytes.size() > n ? "...\"" : "\"");
}

// Enough bytes to name what they are.
bool decided(const transport::Bytes& bytes, bool tls) {
  if (bytes.size() >= kKeepBytes) return true;
  if (!tls && looks_like_tls_record(bytes)) return true;
  if (starts_with(bytes, kHttp1)) return std::find(bytes.begin(), bytes.end(), '\n') != bytes.end();
  return bytes.size() >= 9;
}

// Our side of the connection preface after the magic: an empty SETTINGS frame (RFC 9113 §3.4).
wire::Frame empty_settings() {
  wire::Frame settings;
  settings.header.type = static_cast<std::uint8_t>(wire::FrameType::kSettings);
  settings.payload = wire::SettingsFrame{};
  return settings;
}

// Connection 1: the preface, then the first bytes the target sends.
PreflightResult check_first_bytes(std::unique_ptr<transport::Connection> conn, bool tls, milliseconds timeout) {
  PreflightResult result;
  result.outcome = PreflightResult::Outcome::kNotHttp2;
  const transport::Deadline deadline = transport::Clock::now() + timeout;
  transport::Bytes hello(kClientPreface.begin(), kClientPreface.end());
  const transport::Bytes frame = wire::encode_frame(empty_settings());
  hello.insert(hello.end(), frame.begin(), frame.end());

  transport::Bytes got;
  bool closed = false;
  if (auto w = conn->write_all(hello, deadline); !w.ok() && w.status != transport::IoStatus::kTimeout) closed = true;
  std::array<std::uint8_t, 512> buf{};
  for (int reads = 0; !closed && reads < kMaxReads && !decided(got, tls); ++reads) {
    const auto r = conn->read_some(buf, deadline);
    if (r.status == transport::IoStatus::kTimeout) break;
    if (!r.ok()) {
      closed = true;
      break;
    }
    got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(std::min(r.n, kKeepBytes - got.size())));
  }
  conn->close();

  if (got.empty() && !closed) {
    result.finding = "sent nothing within " + std::to_string(timeout.count()) +
                     " ms of the HTTP/2 connection preface (an HTTP/2 server sends its SETTINGS at once, "
                     "RFC 9113 §3.4)" + (tls ? "" : "; is it a TLS port? (try -t)");
    return result;
  }
  if (got.size() < 9 && !closed && !starts_with(got, kHttp1) && !looks_like_tls_record(got)) {
    result.finding = "sent only " + std::to_string(got.size()) + " bytes (" + show_bytes(got) + ") within " +
                     std::to_string(timeout.count()) + " ms, not an HTTP/2 SETTINGS frame";
    return result;
  }
  result.finding = classify_first_bytes(got, tls, closed);
  if (result.finding.empty()) result.outcome = PreflightResult::Outcome::kHttp2;
  return result;
}

// Connection 2: one GET of the target's path; the final :status if it comes in time.
std::optional<int> status_of_get(std::unique_ptr<transport::Connection> conn, const Target& target,
                                 milliseconds timeout) {
  const auto start = transport::Clock::now();
  Session s(std::move(conn), Role::kClient, real_clock(), start, timeout, start + timeout);
  s.send_bytes(wire::Bytes(kClientPreface.begin(), kClientPreface.end()), 0, "client connection preface",
               Session::Framing::kWhole);
  s.send_frame(empty_settings(), {}, 0, "our SETTINGS");
  if (!s.send_frame(get_request(s, target), {}, 0, "preflight GET")) return std::nullopt;
  for (int events = 0; events < kMaxEvents; ++events) {
    Event e = s.next_event(s.case_deadline());
    if (e.kind != Event::Kind::kFrame) break;
    if (e.final_status && e.frame.header.stream_id == 1) {
      s.close();
      return e.final_status;
    }
  }
  s.close();
  return std::nullopt;
}

}  // namespace

std::string explain_connect_error(const std::string& error, bool tls) {
  if (contains(error, "certificate verify failed")) return error + " (use -k to skip certificate verification)";
  if (tls && (contains(error, "wrong version number") || contains(error, "packet length too long") ||
              contains(error, "record layer failure"))) {
    return error + ": the port does not speak TLS; for cleartext HTTP/2 (h2c) drop -t";
  }
  // RFC 7301 §3.2: a server that supports none of the offered protocols sends this alert.
  if (contains(error, "did not select ALPN h2") || contains(error, "no application protocol")) return error + ": HTTP/2 is not enabled on this TLS port";
  if (contains(error, "connection refused")) return error + " (is the server running on that port?)";
  return error;
}

std::string classify_first_bytes(const transport::Bytes& bytes, bool tls, bool closed) {
  if (bytes.empty()) {
    return tls ? "closed the connection after the TLS handshake without sending SETTINGS"
               : "closed the connection without answering the HTTP/2 connection preface; is it a TLS port? (try -t)";
  }
  if (starts_with(bytes, kHttp1) && (bytes.size() >= kHttp1.size() || closed)) {
    return "answered " + status_line(bytes) + ", not HTTP/2" +
           (tls ? " (although it selected ALPN h2)" : " (prior knowledge); is it an h2c port?");
  }
  if (!tls && looks_like_tls_record(bytes)) {
    return std::string("answered with a TLS ") + (bytes[0] == 0x15 ? "alert" : "handshake") +
           " record, not cleartext HTTP/2; is it a TLS port? (try -t)";
  }
  if (bytes.size() < 9) {
    return "sent " + std::to_string(bytes.size()) + " bytes (" + show_bytes(bytes) +
           ") and closed the connection, not an HTTP/2 SETTINGS frame";
  }
  const wire::FrameHeader header = wire::decode_frame_header(wire::ByteView(bytes.data(), 9));
  // Any well-formed frame header of a defined type is HTTP/2 spoken badly or well: the cases
  // judge it (a first frame other than SETTINGS fails them, RFC 9113 §3.4).
  const bool defined_type = wire::find_frame_type(header.type) != nullptr;
  if (defined_type && header.length <= wire::kDefaultMaxFrameSize) return {};
  if (is_text(bytes)) {
    // An HTTP/1.x server may answer the preface with a bare error page (HTTP/0.9 style).
    return "answered with text (" + show_bytes(bytes) + "), not HTTP/2" +
           (tls ? " (although it selected ALPN h2)" : " (prior knowledge); is it an h2c port?");
  }
  return "sent bytes that are not HTTP/2 (" + show_bytes(bytes) + "), not the SETTINGS frame an HTTP/2 server "
         "sends first (RFC 9113 §3.4)";
}

PreflightResult preflight(ConnectionSource& source, const Target& target, milliseconds timeout) {
  timeout = std::max(timeout, milliseconds(1000));  // a tiny -o is for cases, not for this
  PreflightResult result;
  std::string error;
  auto conn = source.open(transport::Clock::now() + timeout, &error);
  if (!conn) {
    result.finding = explain_connect_error(error, source.is_tls());
    return result;
  }
  result = check_first_bytes(std::move(conn), source.is_tls(), timeout);
  if (result.outcome != PreflightResult::Outcome::kHttp2) return result;

  conn = source.open(transport::Clock::now() + timeout, &error);
  if (!conn) return result;  // it answered once; the cases will tell what goes wrong
  // Only a warning hangs on the answer: a target slower than this gets none, rather than
  // delaying the run.
  result.status = status_of_get(std::move(conn), target, kStatusWait);
  if (result.status && *result.status >= 400) {
    result.warning = "GET " + target.path + " answered " + std::to_string(*result.status) +
                     ": cases judge responses to this path; give one that exists with -P";
  }
  return result;
}

}  // namespace h2conform::engine
