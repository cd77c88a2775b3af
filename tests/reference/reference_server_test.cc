// Unit tests of the reference server and its mutants, driven by a hand-written client.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "runner/wire/make_frame.h"
#include "tests/reference/mutants.h"
#include "tests/reference/reference_priority.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {
namespace {

using wire::FrameType;

Bytes frame(wire::Payload payload, std::uint32_t stream, std::uint8_t flags = 0) {
  return wire::encode_frame(wire::make_frame(std::move(payload), stream, flags));
}

Bytes raw_frame(std::uint8_t type, std::uint32_t stream, std::uint8_t flags, Bytes payload) {
  wire::Frame f;
  f.header = {0, type, flags, false, stream};
  f.payload = wire::UnknownFrame{std::move(payload)};
  return wire::encode_frame(f);
}

// A client that talks to one peer and records every frame it answers with.
class Client {
 public:
  explicit Client(transport::SyncPeer peer) : peer_(std::move(peer)) { parse(peer_.initial); }

  void write(const Bytes& bytes) {
    Bytes reply;
    peer_.on_bytes(bytes, &reply, &closed);
    parse(reply);
  }
  void handshake(std::vector<wire::Setting> settings = {}) {
    const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    Bytes b(preface.begin(), preface.end());
    append(b, frame(wire::SettingsFrame{std::move(settings)}, 0));
    append(b, frame(wire::SettingsFrame{}, 0, wire::flags::kAck));
    write(b);
  }
  void get(std::uint32_t stream, const std::string& method = "GET",
           hpack::HeaderList extra = {}, bool end_stream = true) {
    hpack::HeaderList fields{{":method", method}, {":scheme", "https"},
                             {":authority", "example.com"}, {":path", "/"}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    write(frame(wire::HeadersFrame{encoder.encode(fields), {}, {}}, stream,
                wire::flags::kEndHeaders | (end_stream ? wire::flags::kEndStream : 0)));
  }
  const wire::Frame* last(FrameType type) const {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      if (it->header.type == static_cast<std::uint8_t>(type)) return &*it;
    }
    return nullptr;
  }
  std::size_t count(FrameType type) const {
    std::size_t n = 0;
    for (const auto& f : frames) n += f.header.type == static_cast<std::uint8_t>(type) ? 1 : 0;
    return n;
  }
  std::uint32_t goaway_code() const {
    const wire::Frame* f = last(FrameType::kGoaway);
    return f ? std::get<wire::GoawayFrame>(f->payload).error_code : 0xffffffff;
  }
  std::uint32_t rst_code() const {
    const wire::Frame* f = last(FrameType::kRstStream);
    return f ? std::get<wire::RstStreamFrame>(f->payload).error_code : 0xffffffff;
  }

  std::vector<wire::Frame> frames;
  hpack::Encoder encoder;
  bool closed = false;

 private:
  static void append(Bytes& to, const Bytes& from) { to.insert(to.end(), from.begin(), from.end()); }
  void parse(const Bytes& bytes) {
    reader_.feed(bytes);
    for (wire::DecodeResult r = reader_.next(); r.status == wire::DecodeStatus::kComplete;
         r = reader_.next()) {
      frames.push_back(r.frame);
    }
  }
  transport::SyncPeer peer_;
  wire::FrameReader reader_;
};

constexpr auto code(ErrorCode c) { return static_cast<std::uint32_t>(c); }

TEST(ReferenceServer, SendsSettingsThenAcksTheClients) {
  Client c(make_reference_peer());
  ASSERT_EQ(c.frames.size(), 1u);
  const auto& s = std::get<wire::SettingsFrame>(c.frames[0].payload);
  EXPECT_EQ(s.settings.size(), 4u);
  c.handshake();
  ASSERT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[1].header.flags, wire::flags::kAck);
  EXPECT_FALSE(c.closed);
}

TEST(ReferenceServer, AnswersGetWith200AndBody) {
  Client c(make_reference_peer());
  c.handshake();
  c.get(1);
  const wire::Frame* h = c.last(FrameType::kHeaders);
  ASSERT_NE(h, nullptr);
  hpack::Decoder d;
  hpack::HeaderList fields;
  ASSERT_FALSE(d.decode(std::get<wire::HeadersFrame>(h->payload).fragment, &fields));
  ASSERT_GE(fields.size(), 2u);
  EXPECT_EQ(fields[0].value, "200");
  EXPECT_EQ(fields[1].name, "content-length");
  const wire::Frame* data = c.last(FrameType::kData);
  ASSERT_NE(data, nullptr);
  EXPECT_TRUE(data->header.flags & wire::flags::kEndStream);
  EXPECT_EQ(std::get<wire::DataFrame>(data->payload).data.size(), ServerConfig{}.body.size());
}

TEST(ReferenceServer, HeadGetsNoBody) {
  Client c(make_reference_peer());
  c.handshake();
  c.get(1, "HEAD");
  ASSERT_NE(c.last(FrameType::kHeaders), nullptr);
  EXPECT_TRUE(c.last(FrameType::kHeaders)->header.flags & wire::flags::kEndStream);
  EXPECT_EQ(c.count(FrameType::kData), 0u);
}

TEST(ReferenceServer, BadPrefaceGetsGoawayProtocolError) {
  Client c(make_reference_peer());
  const std::string junk = "GET / HTTP/1.1\r\n\r\n";
  c.write(Bytes(junk.begin(), junk.end()));
  EXPECT_EQ(c.goaway_code(), code(ErrorCode::kProtocolError));
  EXPECT_TRUE(c.closed);
}

TEST(ReferenceServer, ZeroWindowHoldsDataUntilWindowUpdate) {
  Client c(make_reference_peer());
  c.handshake({{static_cast<std::uint16_t>(wire::SettingId::kInitialWindowSize), 0}});
  c.get(1);
  EXPECT_NE(c.last(FrameType::kHeaders), nullptr);
  EXPECT_EQ(c.count(FrameType::kData), 0u);
  c.write(frame(wire::WindowUpdateFrame{false, 5}, 1));
  ASSERT_EQ(c.count(FrameType::kData), 1u);
  EXPECT_EQ(std::get<wire::DataFrame>(c.last(FrameType::kData)->payload).data.size(), 5u);
}

TEST(ReferenceServer, TableSizeReductionIsSignalledInNextBlock) {
  Client c(make_reference_peer());
  c.handshake({{static_cast<std::uint16_t>(wire::SettingId::kHeaderTableSize), 0}});
  c.get(1);
  const auto& block = std::get<wire::HeadersFrame>(c.last(FrameType::kHeaders)->payload).fragment;
  ASSERT_FALSE(block.empty());
  EXPECT_EQ(block[0], 0x20);  // Dynamic Table Size Update to 0 (RFC 7541 §6.3)
}

TEST(ReferenceServer, UppercaseFieldNameGets400) {
  Client c(make_reference_peer());
  c.handshake();
  c.get(1, "GET", {{"X-Upper", "1"}});
  const wire::Frame* h = c.last(FrameType::kHeaders);
  ASSERT_NE(h, nullptr);
  hpack::Decoder d;
  hpack::HeaderList fields;
  ASSERT_FALSE(d.decode(std::get<wire::HeadersFrame>(h->payload).fragment, &fields));
  EXPECT_EQ(fields.at(0).value, "400");
  EXPECT_TRUE(h->header.flags & wire::flags::kEndStream);
  EXPECT_FALSE(c.closed);
}

TEST(ReferenceServer, ConnectionSpecificFieldIsReset) {
  Client c(make_reference_peer());
  c.handshake();
  c.get(1, "GET", {{"connection", "close"}});
  EXPECT_EQ(c.rst_code(), code(ErrorCode::kProtocolError));
  EXPECT_EQ(c.count(FrameType::kHeaders), 0u);
}

struct BadFrameRow {
  const char* name;
  Bytes bytes;
  FrameType answer;  // GOAWAY or RST_STREAM
  ErrorCode code;
};

class ReferenceBadFrame : public ::testing::TestWithParam<BadFrameRow> {};

TEST_P(ReferenceBadFrame, GetsTheRightError) {
  Client c(make_reference_peer());
  c.handshake();
  c.write(GetParam().bytes);
  if (GetParam().answer == FrameType::kGoaway) {
    EXPECT_EQ(c.goaway_code(), code(GetParam().code));
    EXPECT_TRUE(c.closed);
  } else {
    EXPECT_EQ(c.rst_code(), code(GetParam().code));
    EXPECT_EQ(c.count(FrameType::kGoaway), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ReferenceBadFrame,
    ::testing::Values(
        BadFrameRow{"PingOnStream", raw_frame(6, 1, 0, Bytes(8)), FrameType::kGoaway, ErrorCode::kProtocolError},
        BadFrameRow{"SettingsLength7", raw_frame(4, 0, 0, Bytes(7)), FrameType::kGoaway, ErrorCode::kFrameSizeError},
        BadFrameRow{"DataOnIdle", frame(wire::DataFrame{Bytes(3), {}}, 1), FrameType::kGoaway, ErrorCode::kProtocolError},
        BadFrameRow{"PriorityLength4", raw_frame(2, 1, 0, Bytes(4)), FrameType::kRstStream, ErrorCode::kFrameSizeError},
        BadFrameRow{"WindowOverflow", frame(wire::WindowUpdateFrame{false, 0x7fffffff}, 0), FrameType::kGoaway, ErrorCode::kFlowControlError},
        BadFrameRow{"ContinuationAlone", frame(wire::ContinuationFrame{}, 1, 4), FrameType::kGoaway, ErrorCode::kProtocolError},
        BadFrameRow{"MaxFrameSizeTooSmall", frame(wire::SettingsFrame{{{5, 100}}}, 0), FrameType::kGoaway, ErrorCode::kProtocolError},
        BadFrameRow{"PriorityUpdateOnStream", raw_frame(0x10, 1, 0, Bytes{0, 0, 0, 1}), FrameType::kGoaway, ErrorCode::kProtocolError}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(ReferenceServer, IgnoresUnknownFrameType) {
  Client c(make_reference_peer());
  c.handshake();
  c.write(raw_frame(0xfa, 0, 0xff, Bytes(3)));
  c.write(frame(wire::PingFrame{}, 0));
  EXPECT_EQ(c.count(FrameType::kGoaway), 0u);
  EXPECT_EQ(c.count(FrameType::kPing), 1u);
}

// A PING whose header has the reserved bit and every unused flag set (RFC 9113 §4.1).
Bytes dirty_ping() {
  return wire::encode_frame(wire::make_frame(wire::PingFrame{}, 0), {std::nullopt, std::uint8_t{0xfe}, true});
}

// RFC 9113 §4.1: the ACK's header is the server's own, whatever bits the PING's header had.
TEST(ReferenceServer, AcksAPingWithItsOwnHeader) {
  Client c(make_reference_peer());
  c.handshake();
  c.write(dirty_ping());
  const wire::Frame* ack = c.last(FrameType::kPing);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->header.flags, wire::flags::kAck);
  EXPECT_FALSE(ack->header.reserved);
}

TEST(Mutants, EachDiffersFromTheReferenceSomewhere) {
  const std::vector<Mutant> mutants = all_mutants();
  ASSERT_GE(mutants.size(), 5u);
  for (const Mutant& m : mutants) {
    // Requests (one with a large field block, one whose body is still to come), a PING with the
    // reserved bit and unused flags set, an unsolicited PING ACK, then a bad frame: every mutant
    // answers one of them unlike the reference.
    Client ref(make_reference_peer()), mut(m.make());
    for (Client* c : {&ref, &mut}) {
      c->handshake({{static_cast<std::uint16_t>(wire::SettingId::kInitialWindowSize), 4}});
      c->get(1);
      c->get(3, "GET", {{"x-large", std::string(15000, 'a')}});
      c->get(5, "POST", {}, false);
      c->write(dirty_ping());
      c->write(frame(wire::PingFrame{}, 0, wire::flags::kAck));
      c->write(raw_frame(4, 0, 0, Bytes(7)));  // FRAME_SIZE_ERROR: a specific code, so code mutants differ
    }
    std::vector<std::string> a, b;
    for (const auto& f : ref.frames) a.push_back(wire::summarize(f));
    for (const auto& f : mut.frames) b.push_back(wire::summarize(f));
    EXPECT_NE(a, b) << m.name;
  }
}

// RFC 9113 §6.7: the reference never answers a PING ACK; the answer_ping_acks mutant does, with
// an ACK carrying the same data.
TEST(ReferenceServer, AnswersNoPingAckButItsMutantDoes) {
  const wire::PingFrame unsolicited{{0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa}};
  Client ref(make_reference_peer());
  ref.handshake();
  ref.write(frame(unsolicited, 0, wire::flags::kAck));
  EXPECT_EQ(ref.count(FrameType::kPing), 0u);
  const std::vector<Mutant> mutants = all_mutants();
  auto m = std::find_if(mutants.begin(), mutants.end(), [](const Mutant& x) { return x.name == "answer_ping_acks"; });
  ASSERT_NE(m, mutants.end());
  Client mut(m->make());
  mut.handshake();
  mut.write(frame(unsolicited, 0, wire::flags::kAck));
  const wire::Frame* answer = mut.last(FrameType::kPing);
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->header.flags, wire::flags::kAck);
  EXPECT_EQ(std::get<wire::PingFrame>(answer->payload), unsolicited);
}

// The goaway_grows mutant: each connection error is reported by two GOAWAYs with the same code,
// the second naming the next client stream after the first's last_stream_id (RFC 9113 §6.8
// forbids that increase); the reference sends one.
struct GoawayRow {
  const char* name;
  int requests;  // GETs completed before the bad frame
  std::vector<std::uint32_t> reference_last, mutant_last;
};
class GoawayGrows : public ::testing::TestWithParam<GoawayRow> {};

std::vector<wire::GoawayFrame> goaways_after(transport::SyncPeer peer, int requests) {
  Client c(std::move(peer));
  c.handshake();
  for (int i = 0; i < requests; ++i) c.get(static_cast<std::uint32_t>(2 * i + 1));
  c.write(raw_frame(6, 0, 0, Bytes(6)));  // a 6-octet PING: FRAME_SIZE_ERROR
  std::vector<wire::GoawayFrame> out;
  for (const auto& f : c.frames) {
    if (const auto* g = std::get_if<wire::GoawayFrame>(&f.payload)) out.push_back(*g);
  }
  EXPECT_TRUE(c.closed);
  return out;
}

TEST_P(GoawayGrows, RaisesTheSecondGoawaysLastStreamId) {
  const GoawayRow& row = GetParam();
  auto last_ids = [](const std::vector<wire::GoawayFrame>& goaways) {
    std::vector<std::uint32_t> ids;
    for (const auto& g : goaways) {
      EXPECT_EQ(g.error_code, code(ErrorCode::kFrameSizeError));
      ids.push_back(g.last_stream_id);
    }
    return ids;
  };
  EXPECT_EQ(last_ids(goaways_after(make_reference_peer(), row.requests)), row.reference_last);
  const std::vector<Mutant> mutants = all_mutants();
  auto m = std::find_if(mutants.begin(), mutants.end(), [](const Mutant& x) { return x.name == "goaway_grows"; });
  ASSERT_NE(m, mutants.end());
  EXPECT_EQ(m->named_rule, "raised last_stream_id");
  EXPECT_EQ(last_ids(goaways_after(m->make(), row.requests)), row.mutant_last);
}

INSTANTIATE_TEST_SUITE_P(Mutants, GoawayGrows,
                         ::testing::Values(GoawayRow{"BeforeAnyRequest", 0, {0}, {0, 1}},
                                           GoawayRow{"AfterOneRequest", 1, {1}, {1, 3}},
                                           GoawayRow{"AfterTwoRequests", 2, {3}, {3, 5}}),
                         [](const auto& row) { return std::string(row.param.name); });

ServerConfig push_config() {
  ServerConfig config;
  config.push_path = "/pushed.txt";
  config.padding = 8;
  return config;
}

TEST(ReferenceServer, PushesAndPadsOnlyWhenConfiguredAndAllowed) {
  Client plain(make_reference_peer());
  plain.handshake();
  plain.get(1);
  EXPECT_EQ(plain.count(FrameType::kPushPromise), 0u);
  Client pushing(make_reference_peer(push_config()));
  pushing.handshake();
  pushing.get(1);
  ASSERT_EQ(pushing.count(FrameType::kPushPromise), 1u);
  EXPECT_EQ(std::get<wire::PushPromiseFrame>(pushing.last(FrameType::kPushPromise)->payload).promised_stream_id, 2u);
  EXPECT_NE(pushing.last(FrameType::kData)->header.flags & wire::flags::kPadded, 0);
  Client refused(make_reference_peer(push_config()));  // RFC 9113 §6.5.2: ENABLE_PUSH = 0
  refused.handshake({{static_cast<std::uint16_t>(wire::SettingId::kEnablePush), 0}});
  refused.get(1);
  EXPECT_EQ(refused.count(FrameType::kPushPromise), 0u);
}

TEST(ReferenceServer, KeepsPromisedStreamsReservedAtZeroConcurrency) {
  Client c(make_reference_peer(push_config()));
  c.handshake({{static_cast<std::uint16_t>(wire::SettingId::kMaxConcurrentStreams), 0}});
  c.get(1);
  ASSERT_EQ(c.count(FrameType::kPushPromise), 1u);
  for (const auto& f : c.frames) EXPECT_NE(f.header.stream_id, 2u) << wire::summarize(f);
  c.write(frame(wire::DataFrame{Bytes{'x'}, std::nullopt}, 2));  // RFC 9113 §5.1 reserved (local)
  EXPECT_EQ(c.goaway_code(), static_cast<std::uint32_t>(ErrorCode::kProtocolError));
}

TEST(Mutants, PushMutantsDifferFromTheReferenceWhenItPushes) {
  auto summary = [](transport::SyncPeer peer) {
    Client c(std::move(peer));
    c.handshake({{static_cast<std::uint16_t>(wire::SettingId::kMaxConcurrentStreams), 0}});
    c.get(1);
    std::vector<Bytes> out;  // whole frames: padding octets count
    for (const auto& f : c.frames) out.push_back(wire::encode_frame(f, {}));
    return out;
  };
  EXPECT_EQ(all_mutants().size() + 6, all_mutants(push_config()).size());
  const auto ref = summary(make_reference_peer(push_config()));
  for (const Mutant& m : all_mutants(push_config())) {
    if (m.name.rfind("push_", 0) == 0 || m.name == "dirty_padding") {
      EXPECT_NE(summary(m.make()), ref) << m.name;
    }
  }
}

// Peer bytes never crash the reference or a mutant: random frames (valid headers, random payloads
// and flags) after the handshake, from a seeded RNG.
TEST(Mutants, SurviveRandomFrames) {
  for (const Mutant& m : all_mutants()) {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
      std::mt19937 rng(seed);
      Client c(m.make());
      c.handshake();
      for (int i = 0; i < 60 && !c.closed; ++i) {
        Bytes payload(rng() % 24);
        for (auto& b : payload) b = static_cast<std::uint8_t>(rng());
        const auto type = static_cast<std::uint8_t>(rng() % 0x12);
        c.write(raw_frame(type, rng() % 8, static_cast<std::uint8_t>(rng()), payload));
      }
      SUCCEED() << m.name << " seed " << seed;
    }
  }
  Client ref(make_reference_peer());
  ref.handshake();
  for (std::uint32_t i = 0; i < 200 && !ref.closed; ++i) ref.write(raw_frame(9, 1, 0, Bytes(3)));
  EXPECT_TRUE(ref.closed);
}

struct PriorityRow {
  const char* name;
  const char* text;
  bool parses;
  int urgency;
  bool incremental;
};

class PriorityField : public ::testing::TestWithParam<PriorityRow> {};

TEST_P(PriorityField, ParsesPerRfc9218) {
  const auto p = parse_priority_field(GetParam().text);
  ASSERT_EQ(p.has_value(), GetParam().parses);
  if (!p) return;
  EXPECT_EQ(p->urgency, GetParam().urgency);
  EXPECT_EQ(p->incremental, GetParam().incremental);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PriorityField,
    ::testing::Values(PriorityRow{"Empty", "", true, 3, false},
                      PriorityRow{"UrgencyAndIncremental", "u=1, i", true, 1, true},
                      PriorityRow{"OutOfRangeIgnored", "u=9", true, 3, false},
                      PriorityRow{"UnknownKeyIgnored", "foo=\"bar\";x, u=5", true, 5, false},
                      PriorityRow{"WrongTypeIgnored", "i=3, u=?1", true, 3, false},
                      PriorityRow{"InnerList", "a=(1 2);q, u=0", true, 0, false},
                      PriorityRow{"TrailingComma", "u=1,", false, 0, false},
                      // The last member with a key wins (RFC 9651 §4.2.2), even one RFC 9218 §4
                      // then ignores (corpus: fuzzers/corpus/priority_field).
                      PriorityRow{"LastUrgencyWins", "u=1, u=6", true, 6, false},
                      PriorityRow{"LastUrgencyOutOfRange", "u=1, u=9", true, 3, false},
                      PriorityRow{"LastUrgencyWrongType", "u=1, u", true, 3, false},
                      PriorityRow{"LastIncrementalWrongType", "i, i=1", true, 3, false},
                      PriorityRow{"DisplayStringUtf8", "x=%\"f%c3%bc\", u=2", true, 2, false},
                      PriorityRow{"DisplayStringNotUtf8", "x=%\"%ff\", u=2", false, 0, false},
                      PriorityRow{"DisplayStringOverlong", "x=%\"%c0%af\"", false, 0, false},
                      PriorityRow{"DisplayStringSurrogate", "x=%\"%ed%a0%80\"", false, 0, false},
                      PriorityRow{"UppercaseKey", "U=1", false, 0, false},
                      PriorityRow{"BadString", "a=\"x", false, 0, false}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::reference
