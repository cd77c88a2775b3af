// A case's "tls" field and `tls_renegotiate` steps (cases/README.md "tls"), validated and
// converted to TlsSpec and TlsRenegotiate (script.h).
#include <algorithm>

#include "runner/engine/case/loader_internal.h"

namespace h2conform::engine {

// Without "h2" among the offered protocols the handshake can never lead to the steps either.
bool tls_field_decides_alone(const TlsSpec& tls) {
  if (tls.must_not_speak_h2 || tls.offer_compression) return true;
  if (!tls.alpn) return false;
  return std::find(tls.alpn->begin(), tls.alpn->end(), "h2") == tls.alpn->end();
}

}  // namespace h2conform::engine

namespace h2conform::engine::load {
namespace {

std::vector<std::string> check_names(const json& value, const Ctx& ctx, bool allow_empty) {
  if (!value.is_array() || (!allow_empty && value.empty())) ctx.fail(allow_empty ? "expected a list of names" : "expected a non-empty list of names");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string& name = check_nonempty_string(value[i], ctx.at(i));
    if (name.size() > 255) ctx.at(i).fail("an ALPN protocol name is at most 255 bytes");
    out.push_back(name);
  }
  return out;
}

std::string check_version(const json& value, const Ctx& ctx) {
  const std::string& v = check_string(value, ctx);
  if (v != "TLS1.0" && v != "TLS1.1" && v != "TLS1.2" && v != "TLS1.3") {
    ctx.fail("a TLS version is \"TLS1.0\", \"TLS1.1\", \"TLS1.2\" or \"TLS1.3\"");
  }
  return v;
}

std::string check_choice(const json& value, const Ctx& ctx, std::initializer_list<const char*> choices) {
  const std::string& v = check_string(value, ctx);
  std::string listed;
  for (const char* c : choices) {
    if (v == c) return v;
    listed += std::string(listed.empty() ? "" : ", ") + "\"" + c + "\"";
  }
  ctx.fail("expected one of " + listed);
}

TlsSpec::OnFailure on_failure_of(const std::string& text) {
  if (text == "pass") return TlsSpec::OnFailure::kPass;
  if (text == "skip") return TlsSpec::OnFailure::kSkip;
  return TlsSpec::OnFailure::kFail;  // check_choice admits nothing else
}

}  // namespace

TlsSpec check_tls_field(const json& tls, const Ctx& ctx) {
  check_keys(tls, ctx, {"alpn", "min_version", "max_version", "ciphers", "ciphersuites", "groups", "sni",
                              "post_handshake_auth", "verify_certificate", "on_handshake_failure",
                              "requires_certificate", "must_not_select", "must_not_speak_h2",
                              "no_post_handshake_requests", "offer_compression", "note"});
  TlsSpec out;
  if (has_key(tls, "alpn")) out.alpn = check_names(tls["alpn"], ctx.at("alpn"), true);
  if (has_key(tls, "must_not_select")) out.must_not_select = check_names(tls["must_not_select"], ctx.at("must_not_select"), false);
  if (has_key(tls, "min_version")) out.min_version = check_version(tls["min_version"], ctx.at("min_version"));
  if (has_key(tls, "max_version")) out.max_version = check_version(tls["max_version"], ctx.at("max_version"));
  struct Text {
    const char* key;
    std::optional<std::string> TlsSpec::*member;
  };
  for (const Text& t : {Text{"ciphers", &TlsSpec::ciphers}, Text{"ciphersuites", &TlsSpec::ciphersuites},
                        Text{"groups", &TlsSpec::groups}, Text{"sni", &TlsSpec::sni}}) {
    if (has_key(tls, t.key)) out.*t.member = check_nonempty_string(tls[t.key], ctx.at(t.key));
  }
  if (has_key(tls, "note")) check_nonempty_string(tls["note"], ctx.at("note"));
  struct Flag {
    const char* key;
    bool TlsSpec::*member;
  };
  for (const Flag& f : {Flag{"post_handshake_auth", &TlsSpec::post_handshake_auth},
                        Flag{"verify_certificate", &TlsSpec::verify_certificate},
                        Flag{"must_not_speak_h2", &TlsSpec::must_not_speak_h2},
                        Flag{"no_post_handshake_requests", &TlsSpec::no_post_handshake_requests},
                        Flag{"offer_compression", &TlsSpec::offer_compression}}) {
    if (has_key(tls, f.key)) out.*f.member = check_bool(tls[f.key], ctx.at(f.key));
  }
  if (has_key(tls, "on_handshake_failure")) {
    out.on_handshake_failure = on_failure_of(
        check_choice(tls["on_handshake_failure"], ctx.at("on_handshake_failure"), {"fail", "pass", "skip"}));
  }
  if (has_key(tls, "requires_certificate")) {
    out.requires_certificate = check_choice(tls["requires_certificate"], ctx.at("requires_certificate"), {"RSA", "EC"});
    if (out.on_handshake_failure != TlsSpec::OnFailure::kFail) {
      ctx.at("requires_certificate").fail("only with on_handshake_failure \"fail\"");
    }
  }
  return out;
}

TlsRenegotiate check_tls_renegotiate(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"note"});
  if (has_key(step, "note")) check_string(step["note"], ctx.at("note"));
  return {};
}

}  // namespace h2conform::engine::load
