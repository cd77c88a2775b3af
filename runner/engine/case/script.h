// The typed script of a case: its steps and its "tls" field, as the loader parsed them
// (cases/README.md). The interpreter runs this model and never reads case-file JSON.
//
// Contract: plain data, built only by the loader, which has validated every value: frame types,
// flags, error codes and setting ids are numbers, hex is bytes, expressions are parsed
// (expressions.h). A field the case leaves out holds the documented default, set by the loader,
// or is an empty optional where "absent" means something of its own (e.g. a send's `stream`,
// whose default depends on the connection when the step runs). Kept apart from case_model.h so
// that the result model (h2c_results) does not depend on wire/ or hpack/.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "runner/engine/case/expressions.h"
#include "runner/hpack/hpack.h"

namespace h2conform::engine {

using ScriptBytes = std::vector<std::uint8_t>;
using Opaque = std::array<std::uint8_t, 8>;  // PING data

inline constexpr std::uint64_t kMaxRepeat = 100000;  // cases/README.md "repeat"
inline constexpr int kMaxRepeatDepth = 4;
// The longest field value a case may build with {"fill": ..., "size": N}.
inline constexpr std::uint64_t kMaxFieldValueSize = 1u << 20;

// A field value: text, one of the target's values, or {"fill": text, "size": N}.
struct FieldValue {
  enum class Kind { kText, kAuthority, kScheme, kPath, kMethod, kFill };
  Kind kind = Kind::kText;
  std::string text;  // kText: the value; kFill: the text repeated
  Number size;       // kFill
};
using FieldPairs = std::vector<std::pair<std::string, FieldValue>>;

struct SettingValue {
  std::uint16_t id = 0;
  Number value;
};
using SettingList = std::vector<SettingValue>;  // in the order the case gives them

// ---- field blocks (send of HEADERS, PUSH_PROMISE, CONTINUATION) ----

// The run's default request with changes; an absent pseudo-header value is the target's.
struct RequestBlock {
  std::optional<FieldValue> method, scheme, authority, path;
  std::vector<std::string> remove;
  FieldPairs set;
  FieldPairs add;
  hpack::EncoderOptions encoding;  // `encoding`; defaults: huffman "auto", indexing "incremental"
};
struct FieldsBlock {
  FieldPairs fields;
  hpack::EncoderOptions encoding;
};
struct FragmentBlock {
  ScriptBytes bytes;
};

// HPACK `block` instructions. Loader defaults: indexing "without", huffman false, pad_bits 8,
// first_byte 0x80.
struct IndexedField {
  Number index;
};
struct LiteralField {
  std::string name;
  FieldValue value;
  hpack::Indexing indexing = hpack::Indexing::kWithout;
  bool huffman = false;
};
struct LiteralIndexedName {
  Number index;
  FieldValue value;
  hpack::Indexing indexing = hpack::Indexing::kWithout;
  bool huffman = false;
};
struct SizeUpdate {
  Number size;
};
struct RawOctets {
  ScriptBytes bytes;
};
struct BadHuffman {
  std::string name, value;
  int pad_bits = 8;
  bool zero_padding = false;
  bool embed_eos = false;
};
struct OverflowInteger {
  std::uint8_t first_byte = 0x80;
  int prefix = 0;
  int bytes = 0;
};
using HpackInstruction = std::variant<IndexedField, LiteralField, LiteralIndexedName, SizeUpdate, RawOctets,
                                      BadHuffman, OverflowInteger>;
struct InstructionBlock {
  std::vector<HpackInstruction> instructions;
};

// No field block (a CONTINUATION or PUSH_PROMISE without one sends an empty fragment).
struct NoBlock {};
using FieldBlockSpec = std::variant<NoBlock, RequestBlock, FieldsBlock, InstructionBlock, FragmentBlock>;

// ---- steps ----

struct Handshake {
  std::optional<SettingList> settings;  // absent: an empty SETTINGS frame
  bool ack_peer_settings = true;
  bool wait_ack = true;
  bool preface = true;
  bool auto_window_update = true;
  // Error codes of a GOAWAY the target may send instead of its SETTINGS as its first frame
  // (RFC 9113 §9.2: it may end a connection that does not meet the TLS requirements at once);
  // such a GOAWAY ends the step and is left to the next expect step. Empty: none.
  std::vector<std::uint32_t> goaway_first;
};

struct PrioritySpec {
  Number dependency;  // default 0
  bool exclusive = false;
  std::uint16_t weight = 16;
};

// A structured frame. Fields a type does not take keep their defaults (the loader refuses
// them). `stream` and `promised_stream` stay empty when absent: their defaults ($last_stream
// or 0, $next_stream) are taken when the step runs.
struct Send {
  std::uint8_t type = 0;
  std::optional<Number> stream;
  std::optional<std::uint8_t> flags;  // replaces the default flags
  // Overrides (wire::EncodeOverrides) and how the transcript shows them ("overrides: length=7").
  std::optional<Number> length;
  std::optional<bool> reserved;
  std::optional<std::uint8_t> pad_length;
  std::optional<Number> truncate;
  ScriptBytes append;
  std::string overrides_text;
  std::size_t chop = 0;
  std::string note;
  // DATA: one of data / data_hex (in `payload`) or data_size.
  std::optional<Number> data_size;
  ScriptBytes payload;  // DATA data/data_hex; unknown types: payload_hex
  std::optional<std::uint8_t> padding;  // DATA, HEADERS, PUSH_PROMISE
  FieldBlockSpec block;                     // HEADERS, PUSH_PROMISE, CONTINUATION
  std::optional<PrioritySpec> priority;  // HEADERS `priority`; PRIORITY's own fields
  std::uint32_t error_code = 0;         // RST_STREAM (default CANCEL), GOAWAY (default NO_ERROR)
  SettingList settings;                 // SETTINGS
  bool ack = false;                     // SETTINGS, PING
  std::optional<Number> promised_stream;  // PUSH_PROMISE
  Opaque opaque{};                      // PING data_hex (default zeros)
  Number last_stream_id;                // GOAWAY (default 0)
  std::string debug;                    // GOAWAY
  Number increment;                     // WINDOW_UPDATE (default 1)
  std::optional<Number> prioritized_stream;  // PRIORITY_UPDATE (default $last_stream)
  std::string field_value;              // PRIORITY_UPDATE
};

struct SendRaw {
  ScriptBytes bytes;
  std::string note;
  std::size_t chop = 0;
  // The bytes are the client magic and/or complete frames that open no field block and change
  // no window or setting (checked when loaded): frames may follow them, so error probes may too.
  bool whole_frames = false;
};

// ---- expect outcomes (one struct per outcome kind) ----

struct FrameOutcome {
  std::uint8_t type = 0;
  std::optional<Number> stream;
  std::uint8_t flags = 0;  // all must be set
  std::vector<std::uint32_t> codes;  // empty: any
  std::optional<Number> last_stream_id, increment, promised_stream, length;
  std::optional<bool> ack;
  std::optional<Opaque> opaque;
  std::vector<SettingValue> settings;
  // The target's field block on the frame's stream must be well-formed (a client target's
  // request, RFC 9113 §8; see message_check.h).
  bool check_fields = false;
};
struct ConnectionErrorOutcome {
  std::vector<std::uint32_t> codes;
};
// `stream` absent: $last_stream when the step runs (also for response and malformed).
struct StreamErrorOutcome {
  std::vector<std::uint32_t> codes;
  std::optional<Number> stream;
};
struct ClosedOutcome {};
struct TransportClosedOutcome {};
struct ResponseOutcome {
  std::vector<int> statuses;  // empty: any
  int status_class = 0;       // 2 for "2xx"
  bool check_fields = false;
  std::optional<Number> stream;
};
struct MalformedOutcome {
  std::optional<Number> stream;
};
struct AliveOutcome {};
struct SettingsAckOutcome {};
struct PingAckOutcome {
  std::optional<Opaque> opaque;
};
using OutcomeSpec = std::variant<FrameOutcome, ConnectionErrorOutcome, StreamErrorOutcome, ClosedOutcome,
                                 TransportClosedOutcome, ResponseOutcome, MalformedOutcome, AliveOutcome,
                                 SettingsAckOutcome, PingAckOutcome>;

// kSkip: the outcome shows the case cannot see what it checks (the target ended the connection
// before the behaviour could show); its note says why.
enum class AcceptGrade { kPass, kNonStrict, kSkip };
struct OutcomeEntry {
  OutcomeSpec outcome;
  AcceptGrade grade = AcceptGrade::kPass;  // also_accept only
  std::string note;
};

struct Expect {
  OutcomeEntry primary;
  std::vector<OutcomeEntry> also_accept;
  std::vector<OutcomeEntry> fail_on;
};

// ---- require ----

struct RequireSetting {
  std::uint16_t id = 0;
  std::string name;  // as the case wrote it, for the skip reason
  std::optional<std::uint32_t> at_most, at_least;
  std::optional<bool> present;
};
struct RequireTransport {
  bool tls = false;
};
// What a `require` step can ask the connection to have observed (connection/push_checks.h's
// observed_count() counts each of them).
inline constexpr std::array<std::string_view, 4> kObservationNames = {
    "push_promise", "padded_data", "padded_headers", "padded_push_promise"};
struct RequireObserved {
  std::string name;  // one of kObservationNames
};
struct Require {
  std::variant<RequireSetting, RequireTransport, RequireObserved> what;
  std::string reason;  // empty: a reason is made up
};

struct TlsRenegotiate {};

// `target_answers`: the target still serves after the case's frames: on the case's connection
// a PING is answered or the connection ends, and then a new connection gets a PING ACK and a
// response to a GET (a replayed `h2conform fuzz` finding ends with it). Server targets only.
struct TargetAnswers {};

struct Step;
struct Repeat {
  Number count;
  std::vector<Step> steps;
};

struct Step {
  std::variant<Handshake, Send, SendRaw, Expect, Repeat, Require, TlsRenegotiate, TargetAnswers> kind;
};

// ---- the case's "tls" field ----

struct TlsSpec {
  enum class OnFailure { kFail, kPass, kSkip };
  std::optional<std::vector<std::string>> alpn;  // absent: the run's offer (["h2"])
  std::string min_version, max_version;          // "TLS1.0" .. "TLS1.3"; empty: OpenSSL's default
  std::optional<std::string> ciphers, ciphersuites, groups, sni;
  bool post_handshake_auth = false;
  bool verify_certificate = false;
  OnFailure on_handshake_failure = OnFailure::kFail;
  std::string requires_certificate;  // "RSA", "EC", or empty
  std::optional<std::vector<std::string>> must_not_select;
  bool must_not_speak_h2 = false;
  bool no_post_handshake_requests = false;
  bool offer_compression = false;
};

// True when the case's steps must be empty: its "tls" field decides the case alone
// (must_not_speak_h2, offer_compression, or an ALPN offer without "h2"). loader_tls.cc.
bool tls_field_decides_alone(const TlsSpec& tls);

// A client-testing case's "client_exit": what the client program's exit must show, judged after
// the steps when the run launches the client (`--exec`).
enum class ClientExitRule {
  kAny,      // absent: the exit is recorded, not judged
  kSuccess,  // "success": the exchange was valid, the client must exit 0
  kFailure,  // "failure": the client received what it must treat as an error; exit 0 fails
};

struct Script {
  std::vector<Step> steps;
  std::optional<TlsSpec> tls;  // a TLS-level case (tls_case.h)
  ClientExitRule client_exit = ClientExitRule::kAny;
};

}  // namespace h2conform::engine
