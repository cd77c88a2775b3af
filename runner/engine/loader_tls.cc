// Validation of a case's "tls" field and of `tls_renegotiate` steps (cases/README.md "tls").
#include "runner/engine/tls_case.h"

namespace h2conform::engine {
namespace {

using load::Ctx;
using load::has_key;
using nlohmann::json;

void check_names(const json& value, const Ctx& ctx, bool allow_empty) {
  if (!value.is_array() || (!allow_empty && value.empty())) ctx.fail(allow_empty ? "expected a list of names" : "expected a non-empty list of names");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string& name = load::check_nonempty_string(value[i], ctx.at(i));
    if (name.size() > 255) ctx.at(i).fail("an ALPN protocol name is at most 255 bytes");
  }
}

void check_version(const json& value, const Ctx& ctx) {
  const std::string& v = load::check_string(value, ctx);
  if (v != "TLS1.0" && v != "TLS1.1" && v != "TLS1.2" && v != "TLS1.3") {
    ctx.fail("a TLS version is \"TLS1.0\", \"TLS1.1\", \"TLS1.2\" or \"TLS1.3\"");
  }
}

void check_choice(const json& value, const Ctx& ctx, std::initializer_list<const char*> choices) {
  const std::string& v = load::check_string(value, ctx);
  std::string listed;
  for (const char* c : choices) {
    if (v == c) return;
    listed += std::string(listed.empty() ? "" : ", ") + "\"" + c + "\"";
  }
  ctx.fail("expected one of " + listed);
}

}  // namespace

void check_tls_field(const json& tls, const Ctx& ctx) {
  load::check_keys(tls, ctx, {"alpn", "min_version", "max_version", "ciphers", "ciphersuites", "groups", "sni",
                              "post_handshake_auth", "verify_certificate", "on_handshake_failure",
                              "requires_certificate", "must_not_select", "must_not_speak_h2",
                              "no_post_handshake_requests", "offer_compression", "note"});
  if (has_key(tls, "alpn")) check_names(tls["alpn"], ctx.at("alpn"), true);
  if (has_key(tls, "must_not_select")) check_names(tls["must_not_select"], ctx.at("must_not_select"), false);
  for (const char* key : {"min_version", "max_version"})
    if (has_key(tls, key)) check_version(tls[key], ctx.at(key));
  for (const char* key : {"ciphers", "ciphersuites", "groups", "sni", "note"})
    if (has_key(tls, key)) load::check_nonempty_string(tls[key], ctx.at(key));
  for (const char* key : {"post_handshake_auth", "verify_certificate", "must_not_speak_h2", "no_post_handshake_requests",
                          "offer_compression"})
    if (has_key(tls, key)) load::check_bool(tls[key], ctx.at(key));
  if (has_key(tls, "on_handshake_failure")) check_choice(tls["on_handshake_failure"], ctx.at("on_handshake_failure"), {"fail", "pass", "skip"});
  if (has_key(tls, "requires_certificate")) check_choice(tls["requires_certificate"], ctx.at("requires_certificate"), {"RSA", "EC"});
  if (has_key(tls, "requires_certificate") && tls.value("on_handshake_failure", std::string("fail")) != "fail") {
    ctx.at("requires_certificate").fail("only with on_handshake_failure \"fail\"");
  }
}

void check_tls_renegotiate(const json& step, const Ctx& ctx) {
  load::check_keys(step, ctx, {"note"});
  if (has_key(step, "note")) load::check_string(step["note"], ctx.at("note"));
}

}  // namespace h2conform::engine
