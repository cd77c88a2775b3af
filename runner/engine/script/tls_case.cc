// TLS-level cases: the "tls" field (offer and judgement of the handshake) and the checks that
// follow it (cases/README.md "tls").
#include "runner/engine/script/tls_case.h"

#include <algorithm>
#include <cctype>

namespace h2conform::engine {
namespace {

// Protocol version numbers as on the wire (RFC 8446 §4.2.1), which are OpenSSL's constants.
struct VersionName {
  const char* name;
  int wire;
};
constexpr VersionName kVersions[] = {
    {"TLS1.0", 0x0301}, {"TLS1.1", 0x0302}, {"TLS1.2", 0x0303}, {"TLS1.3", 0x0304}};
constexpr int kTls12 = 0x0303;

int version_number(const std::string& name) {
  for (const auto& v : kVersions)
    if (name == v.name) return v.wire;
  return 0;
}

const char* on_failure_text(TlsSpec::OnFailure f) {
  switch (f) {
    case TlsSpec::OnFailure::kPass: return "pass";
    case TlsSpec::OnFailure::kSkip: return "skip";
    case TlsSpec::OnFailure::kFail: break;
  }
  return "fail";
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

// "ALPN [h2c], TLS1.0 to TLS1.1, ciphers ECDHE-RSA-AES128-SHA"
std::string describe_offer(const TlsSpec& tls) {
  std::string s = "a TLS handshake offering ALPN [" + joined(tls.alpn.value_or(std::vector<std::string>{"h2"})) + "]";
  if (!tls.min_version.empty() || !tls.max_version.empty()) {
    s += ", versions " + (tls.min_version.empty() ? std::string("default") : tls.min_version) + " to " +
         (tls.max_version.empty() ? std::string("default") : tls.max_version);
  }
  const std::pair<const char*, const std::optional<std::string>*> texts[] = {
      {"ciphers", &tls.ciphers}, {"ciphersuites", &tls.ciphersuites}, {"groups", &tls.groups}, {"sni", &tls.sni}};
  for (const auto& [key, value] : texts)
    if (*value) s += std::string(", ") + key + " " + **value;
  if (tls.post_handshake_auth) s += ", post_handshake_auth";
  return s;
}

std::string describe_info(const transport::TlsInfo& info) {
  return info.version + " " + info.cipher + ", ALPN " + (info.alpn.empty() ? "none" : info.alpn) +
         ", compression " + info.compression + (info.peer_key.empty() ? "" : ", " + info.peer_key + " certificate");
}

TlsCaseStart decided(Verdict verdict, std::string reason, std::string expected, std::string observed) {
  TlsCaseStart s;
  s.decided = true;
  s.verdict = verdict;
  s.reason = std::move(reason);
  s.expected = std::move(expected);
  s.observed = std::move(observed);
  return s;
}

bool starts_with_settings(const std::vector<std::uint8_t>& b) {
  constexpr std::uint8_t kSettings = 0x4, kAck = 0x1;
  return b.size() >= 9 && b[3] == kSettings && (b[4] & kAck) == 0 && (b[5] & 0x7f) == 0 && b[6] == 0 &&
         b[7] == 0 && b[8] == 0;
}

std::string printable_prefix(const std::vector<std::uint8_t>& b) {
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < 24; ++i)
    s += std::isprint(b[i]) != 0 ? static_cast<char>(b[i]) : '.';
  return "\"" + s + "\"";
}

// must_not_speak_h2: sends the client preface and an empty SETTINGS; HTTP/2 would answer with
// its own SETTINGS first (RFC 9113 §3.4).
TlsCaseStart probe_h2(transport::Connection& conn, transport::Deadline deadline, const std::string& expected,
                      const std::string& agreed) {
  std::vector<std::uint8_t> out(wire::kClientMagic.begin(), wire::kClientMagic.end());
  out.insert(out.end(), {0, 0, 0, 0x4, 0, 0, 0, 0, 0});
  transport::IoResult w = conn.write_all(out, deadline);
  std::vector<std::uint8_t> in;
  std::string end = w.ok() ? "" : "our preface could not be written (" + w.detail + ")";
  while (end.empty() && in.size() < 9) {
    std::uint8_t buf[64];
    transport::IoResult r = conn.read_some(buf, deadline);
    if (r.status == transport::IoStatus::kTimeout) end = "no answer before the deadline";
    else if (!r.ok()) end = "the connection ended: " + r.detail;
    else in.insert(in.end(), buf, buf + r.n);
  }
  conn.close();
  std::string observed = agreed + "; then " + (in.empty() ? end : "the target sent " + printable_prefix(in));
  if (starts_with_settings(in)) {
    return decided(Verdict::kFail,
                   "the target answered the HTTP/2 connection preface with SETTINGS although the handshake "
                   "did not agree on h2 (RFC 9113 §3.2, §3.3: HTTP/2 over TLS is negotiated with ALPN)",
                   expected, observed);
  }
  return decided(Verdict::kPass, "the target did not speak HTTP/2 without agreeing on h2 in ALPN", expected, observed);
}

// requires_certificate: the key type of the target's certificate, seen over a handshake with the
// case's TLS versions and otherwise the run's own options; "none" when that fails too.
std::string certificate_key(const TlsSpec& tls, TlsVariation& variation, transport::Deadline deadline) {
  TlsSpec versions;
  versions.min_version = tls.min_version;
  versions.max_version = tls.max_version;
  transport::ConnectError e;
  auto conn = variation.connect_varied_tls([&](transport::TlsClientOptions* o) { apply_tls_offer(versions, o); },
                                           deadline, &e);
  if (!conn) return "none";
  auto info = conn->tls_info();
  conn->close();
  return info ? info->peer_key : std::string();
}

TlsCaseStart judge_refused(const TlsSpec& tls, TlsVariation& variation, transport::Deadline deadline,
                           const std::string& expected, const std::string& why) {
  const std::string observed = "the handshake failed: " + why;
  const std::string on_failure = on_failure_text(tls.on_handshake_failure);
  if (on_failure == "pass") return decided(Verdict::kPass, "the target refused the handshake (" + why + ")", expected, observed);
  if (on_failure == "skip") return decided(Verdict::kSkip, "the target does not accept this handshake (" + why + ")", expected, observed);
  if (tls.verify_certificate && why.find("certificate verify failed") != std::string::npos) {
    return decided(Verdict::kFail, "the target's certificate fails the checks a client makes for this host "
                                   "(RFC 9113 §9.1.1): " + why, expected, observed);
  }
  if (!tls.requires_certificate.empty()) {
    const std::string& want = tls.requires_certificate;
    const std::string key = certificate_key(tls, variation, deadline);
    if (key == "none") {
      return decided(Verdict::kSkip, "the target does not accept these TLS versions at all (" + why + ")", expected, observed);
    }
    if (key != want) {
      return decided(Verdict::kSkip, "the target's certificate key is " + (key.empty() ? std::string("of unknown type") : key) +
                                         ", which cannot do what this case offers (it needs " + want + ")",
                     expected, observed);
    }
  }
  return decided(Verdict::kFail, "the target refused a handshake it must accept (" + why + ")", expected, observed);
}

// offer_compression: a bare TLS 1.2 ClientHello offering DEFLATE before null (RFC 3749); the
// server must pick null (RFC 9113 §9.2.1, §10.6). OpenSSL cannot offer compression here.
TlsCaseStart judge_compression(TlsVariation& variation, transport::Deadline deadline) {
  const std::string expected = "a TLS 1.2 ClientHello offering compression methods DEFLATE and null; "
                               "the ServerHello selects null";
  transport::HelloProbe probe;
  transport::HelloAnswer a;
  transport::ConnectError e;
  if (!variation.probe_server_hello(probe, deadline, &a, &e)) {
    TlsCaseStart s;
    s.connect_error = e.message.empty() ? "connect failed" : e.message;
    return s;
  }
  if (!a.server_hello) {
    return decided(Verdict::kSkip, "the target did not answer a TLS 1.2 ClientHello with a ServerHello (" +
                                       a.detail + "); it may not do TLS 1.2", expected, a.detail);
  }
  const std::string observed = "ServerHello with compression method " + std::to_string(a.compression_method) +
                               ", cipher suite " + std::to_string(a.cipher_suite) + ", version " +
                               std::to_string(a.version >> 8) + "." + std::to_string(a.version & 0xff);
  if (a.compression_method != 0) {
    return decided(Verdict::kFail, "the target selected TLS compression (method " + std::to_string(a.compression_method) +
                                       ") (RFC 9113 §9.2.1, §10.6)", expected, observed);
  }
  return decided(Verdict::kPass, "the target selected no TLS compression although we offered DEFLATE", expected, observed);
}

std::string expectation_text(const TlsSpec& tls) {
  std::string s = describe_offer(tls);
  const std::string on_failure = on_failure_text(tls.on_handshake_failure);
  if (tls.must_not_speak_h2) return s + "; the target refuses it or does not speak HTTP/2 over it";
  if (on_failure == "pass") s += "; the target refuses it, or does not select h2, or the steps pass";
  else s += "; the handshake completes with ALPN h2 and the steps pass";
  if (tls.must_not_select) s += "; never ALPN " + joined(*tls.must_not_select);
  return s;
}

}  // namespace

void apply_tls_offer(const TlsSpec& tls, transport::TlsClientOptions* o) {
  if (tls.alpn) o->alpn = *tls.alpn;
  if (!tls.min_version.empty()) o->min_version = version_number(tls.min_version);
  if (!tls.max_version.empty()) o->max_version = version_number(tls.max_version);
  // TLS 1.0 and 1.1 need security level 0 in OpenSSL 3.
  o->legacy = (o->min_version != 0 && o->min_version < kTls12) || (o->max_version != 0 && o->max_version < kTls12);
  if (o->legacy && o->min_version == 0) o->min_version = version_number("TLS1.0");
  if (tls.ciphers) o->ciphers = *tls.ciphers;
  if (tls.ciphersuites) o->ciphersuites = *tls.ciphersuites;
  if (tls.groups) o->groups = *tls.groups;
  if (tls.sni) o->sni = *tls.sni;
  o->post_handshake_auth = tls.post_handshake_auth;
}

TlsCaseStart start_tls_case(const Case& c, ConnectionSource& source, Clock& clock,
                            std::chrono::milliseconds timeout) {
  const TlsSpec& tls = *c.script->tls;  // the caller runs only cases with a "tls" field
  const std::string expected = expectation_text(tls);
  if (!source.is_tls()) return decided(Verdict::kSkip, "the case runs over TLS only", expected, "");
  if (!source.can_vary_tls()) {
    return decided(Verdict::kSkip, "the case needs its own TLS handshake, which this connection factory cannot make",
                   expected, "");
  }
  TlsVariation& variation = *source.tls_variation();
  if (tls.offer_compression) return judge_compression(variation, clock.now() + timeout);
  const bool verify = tls.verify_certificate;
  bool run_verifies = false;
  auto adjust = [&](transport::TlsClientOptions* o) {
    run_verifies = o->verify;
    apply_tls_offer(tls, o);
  };
  const transport::Deadline deadline = clock.now() + timeout;
  transport::ConnectError e;
  auto conn = variation.connect_varied_tls(adjust, deadline, &e);
  if (verify && !run_verifies) {
    return decided(Verdict::kSkip, "certificate checks are off for this run (-k)", expected, "");
  }
  if (!conn && !e.tls_handshake_failed) {
    TlsCaseStart s;
    s.connect_error = e.message.empty() ? "connect failed" : e.message;
    return s;
  }
  if (!conn) return judge_refused(tls, variation, clock.now() + timeout, expected, e.message);
  const transport::TlsInfo info = conn->tls_info().value_or(transport::TlsInfo{});
  const std::string agreed = "the handshake agreed " + describe_info(info);
  if (tls.must_not_select) {
    const auto& banned = *tls.must_not_select;
    if (std::find(banned.begin(), banned.end(), info.alpn) != banned.end()) {
      return decided(Verdict::kFail, "the target selected ALPN \"" + info.alpn + "\", which it must not select (RFC 9113 §3.2)",
                     expected, agreed);
    }
  }
  if (tls.must_not_speak_h2) return probe_h2(*conn, deadline, expected, agreed);
  if (info.alpn != "h2") {
    const std::string on_failure = on_failure_text(tls.on_handshake_failure);
    const std::string got = info.alpn.empty() ? std::string("none") : info.alpn;
    const std::string why = tls.must_not_select
                                ? "the target selected none of " + joined(*tls.must_not_select) + " (ALPN " + got + ")"
                                : "the target did not select ALPN h2 (got " + got + ")";
    if (on_failure == "pass") return decided(Verdict::kPass, why + ", so it does not carry HTTP/2 over this handshake", expected, agreed);
    return decided(on_failure == "skip" ? Verdict::kSkip : Verdict::kFail, why, expected, agreed);
  }
  TlsCaseStart s;
  s.conn = std::move(conn);
  return s;
}

void fill_decided_tls_case(const TlsCaseStart& start, CaseResult* r) {
  r->verdict = start.verdict;
  r->reason = start.reason;
  r->expected = start.expected;
  r->observed = start.observed;
}

void check_tls_after_steps(const Case& c, const std::optional<transport::TlsInfo>& info, StepResult* end) {
  if (!c.script->tls || !c.script->tls->no_post_handshake_requests || !info) return;
  std::string why;
  if (info->post_handshake_certificate_requests > 0) {
    why = "the target sent " + std::to_string(info->post_handshake_certificate_requests) +
          " post-handshake TLS 1.3 CertificateRequest message(s) (RFC 9113 §9.2.3)";
  } else if (info->hello_requests > 0) {
    why = "the target sent a TLS HelloRequest after the handshake, asking for a renegotiation after the "
          "connection preface (RFC 9113 §9.2.1)";
  }
  if (why.empty()) return;
  // Whatever the steps ended with, the request is the violation (it may have ended them).
  const bool passing = end->kind == StepResult::Kind::kContinue || end->verdict == Verdict::kPass;
  if (!passing && !end->reason.empty()) why += "; the steps then ended: " + end->reason;
  StepResult r = StepResult::end(Verdict::kFail, why);
  r.expected = "no post-handshake CertificateRequest or HelloRequest from the target";
  r.observed = why;
  *end = r;
}

}  // namespace h2conform::engine
