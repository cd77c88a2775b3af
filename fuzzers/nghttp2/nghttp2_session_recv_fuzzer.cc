// nghttp2_session_recv: a comparison baseline for session, not a test of this project. The input
// has session's layout (session_input.h): the control octet chooses the role and the script, the
// split seed cuts the peer's bytes into the same pieces. An nghttp2 session in the role our
// engine plays is fed those pieces in order with nghttp2_session_mem_recv, and after each piece
// whatever it wants to send (SETTINGS and PING ACKs, WINDOW_UPDATEs, GOAWAY, a response) is
// taken with nghttp2_session_mem_send and dropped, until it wants neither to read nor to write.
// Run from session's seeds with its dictionary and options (scripts/fuzz-compare.sh), the exec/s
// and coverage of the two targets compare.
//
// - A server target (bit 0 clear): a client session that has sent its SETTINGS and, by script,
//   a GET; a POST with a 100-octet body; a PING (session's script sends it on stream 1, which
//   nghttp2's API cannot, so here it goes on stream 0); or a PING and SETTINGS with
//   INITIAL_WINDOW_SIZE 100.
// - A client target (bit 0 set): a server session that answers each request with :status 200,
//   or (the second script) sends a PING first.
// Held pieces (session's "after one of our writes") are simply fed in turn, and the peer's close
// has no counterpart: nghttp2 does not wait. Minimal callbacks: only the server's on_frame_recv
// (to answer) and the POST body's read callback; nghttp2 decodes and checks every frame and
// field block whether or not the application asks for them.
//
// Built only with -DH2CONFORM_FUZZ=ON when pkg-config finds libnghttp2, never in the OSS-Fuzz
// layout (fuzzers/build.sh), never linked into h2conform; see fuzzers/README.md.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

#include "fuzzers/fuzz_check.h"
#include "fuzzers/session_input.h"

namespace {

using namespace h2conform;

constexpr std::size_t kMaxInput = 1 << 16;
constexpr std::size_t kPostBody = 100;

nghttp2_nv field(const char* name, const char* value) {
  return nghttp2_nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name)),
                    reinterpret_cast<std::uint8_t*>(const_cast<char*>(value)), std::strlen(name),
                    std::strlen(value), NGHTTP2_NV_FLAG_NONE};
}

// The server answers every request once its HEADERS are in, as session's first client script does.
int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void*) {
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
    nghttp2_nv status = field(":status", "200");
    nghttp2_submit_response(session, frame->hd.stream_id, &status, 1, nullptr);
  }
  return 0;
}

ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length, std::uint32_t* flags,
                  nghttp2_data_source* source, void*) {
  auto* left = static_cast<std::size_t*>(source->ptr);
  const std::size_t n = std::min(length, *left);
  std::memset(buf, 'x', n);
  *left -= n;
  if (*left == 0) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

struct Session {
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session* s = nullptr;
  Session() { FUZZ_CHECK(nghttp2_session_callbacks_new(&callbacks) == 0); }
  ~Session() {
    nghttp2_session_del(s);
    nghttp2_session_callbacks_del(callbacks);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

// Takes everything the session wants to send and drops it; false on a fatal error.
bool drain(nghttp2_session* s) {
  for (;;) {
    const std::uint8_t* out = nullptr;
    const auto n = nghttp2_session_mem_send(s, &out);
    if (n < 0) return false;
    if (n == 0) return true;
  }
}

}  // namespace

// As in session_fuzzer.cc, so that both run with the same ASan settings.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=32"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const fuzz::SessionInput in = fuzz::parse_session_input({data, size});
  Session session;
  std::size_t body_left = kPostBody;
  nghttp2_data_provider body{};
  body.source.ptr = &body_left;
  body.read_callback = read_body;

  if (in.client_target) {  // our engine plays the server
    nghttp2_session_callbacks_set_on_frame_recv_callback(session.callbacks, on_frame_recv);
    FUZZ_CHECK(nghttp2_session_server_new(&session.s, session.callbacks, nullptr) == 0);
    FUZZ_CHECK(nghttp2_submit_settings(session.s, NGHTTP2_FLAG_NONE, nullptr, 0) == 0);
    if (in.variant % 2 == 1) FUZZ_CHECK(nghttp2_submit_ping(session.s, NGHTTP2_FLAG_NONE, nullptr) == 0);
  } else {
    FUZZ_CHECK(nghttp2_session_client_new(&session.s, session.callbacks, nullptr) == 0);
    FUZZ_CHECK(nghttp2_submit_settings(session.s, NGHTTP2_FLAG_NONE, nullptr, 0) == 0);
    nghttp2_nv get[] = {field(":method", "GET"), field(":scheme", "http"), field(":authority", "example.test"),
                        field(":path", "/")};
    nghttp2_nv post[] = {field(":method", "POST"), field(":scheme", "http"), field(":authority", "example.test"),
                         field(":path", "/")};
    const nghttp2_settings_entry window{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 100};
    switch (in.variant % 4) {
      case 0:
        FUZZ_CHECK(nghttp2_submit_request(session.s, nullptr, get, 4, nullptr, nullptr) == 1);
        break;
      case 1:
        FUZZ_CHECK(nghttp2_submit_request(session.s, nullptr, post, 4, &body, nullptr) == 1);
        break;
      case 2:
        FUZZ_CHECK(nghttp2_submit_ping(session.s, NGHTTP2_FLAG_NONE, nullptr) == 0);
        break;
      default:
        FUZZ_CHECK(nghttp2_submit_ping(session.s, NGHTTP2_FLAG_NONE, nullptr) == 0);
        FUZZ_CHECK(nghttp2_submit_settings(session.s, NGHTTP2_FLAG_NONE, &window, 1) == 0);
        break;
    }
  }
  if (!drain(session.s)) return 0;

  for (const fuzz::SessionPiece& piece : fuzz::split_session_bytes(in)) {
    if (!nghttp2_session_want_read(session.s) && !nghttp2_session_want_write(session.s)) break;
    const auto rv = nghttp2_session_mem_recv(session.s, piece.bytes.data(), piece.bytes.size());
    if (rv < 0) break;  // a fatal error: the connection is gone
    FUZZ_CHECK(static_cast<std::size_t>(rv) == piece.bytes.size());
    if (!drain(session.s)) break;
  }
  return 0;
}
