// A hand-written TLS 1.2 ClientHello (RFC 5246 §7.4.1.2) and the server's first answer, for
// offers OpenSSL cannot make as a client (this build has no TLS compression). The handshake is
// never completed: we read the ServerHello or an alert, then close.
#include <openssl/rand.h>

#include "runner/transport/socket_util.h"

namespace h2conform::transport {
namespace {

using Buf = std::vector<std::uint8_t>;

constexpr std::uint8_t kHandshake = 22, kAlert = 21, kClientHelloType = 1, kServerHelloType = 2;
constexpr std::size_t kMaxRead = 16384;

void put16(Buf& b, std::size_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put24(Buf& b, std::size_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 16));
  put16(b, v & 0xffff);
}
// A vector with a 1- or 2-octet length prefix.
void put_vec(Buf& b, const Buf& body, int prefix) {
  if (prefix == 1) b.push_back(static_cast<std::uint8_t>(body.size()));
  else put16(b, body.size());
  b.insert(b.end(), body.begin(), body.end());
}
void put_ext(Buf& b, std::uint16_t type, const Buf& body) {
  put16(b, type);
  put_vec(b, body, 2);
}

Buf extensions(const HelloProbe& p, const std::string& sni) {
  Buf ext, v;
  if (!sni.empty()) {  // server_name (RFC 6066 §3)
    Buf name{0};
    put_vec(name, Buf(sni.begin(), sni.end()), 2);
    put_vec(v, name, 2);
    put_ext(ext, 0, v);
  }
  v.clear();
  for (std::uint16_t g : p.groups) put16(v, g);
  Buf groups;
  put_vec(groups, v, 2);
  put_ext(ext, 10, groups);  // supported_groups (RFC 8422 §5.1.1)
  put_ext(ext, 11, Buf{1, 0});  // ec_point_formats: uncompressed
  Buf sigs;
  // ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, rsa_pss_rsae_sha256/384, rsa_pkcs1_sha256/384
  for (std::size_t sig : {0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501}) put16(sigs, sig);
  Buf sig_ext;
  put_vec(sig_ext, sigs, 2);
  put_ext(ext, 13, sig_ext);  // signature_algorithms (RFC 5246 §7.4.1.4.1)
  if (!p.alpn.empty()) {  // ALPN (RFC 7301 §3.1)
    Buf list;
    for (const auto& name : p.alpn) put_vec(list, Buf(name.begin(), name.end()), 1);
    Buf alpn;
    put_vec(alpn, list, 2);
    put_ext(ext, 16, alpn);
  }
  put_ext(ext, 23, {});           // extended_master_secret (RFC 7627)
  put_ext(ext, 0xff01, Buf{0});   // renegotiation_info (RFC 5746)
  return ext;
}

Buf client_hello(const HelloProbe& p, const std::string& sni) {
  Buf body{3, 3};  // client_version TLS 1.2
  Buf random(32);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) random.assign(32, 0x2a);
  body.insert(body.end(), random.begin(), random.end());
  body.push_back(0);  // no session id
  Buf suites;
  for (std::uint16_t s : p.cipher_suites) put16(suites, s);
  put_vec(body, suites, 2);
  put_vec(body, Buf(p.compression_methods.begin(), p.compression_methods.end()), 1);
  put_vec(body, extensions(p, sni), 2);
  Buf hs{kClientHelloType};
  put24(hs, body.size());
  hs.insert(hs.end(), body.begin(), body.end());
  Buf record{kHandshake, 3, 1};
  put_vec(record, hs, 2);
  return record;
}

std::uint16_t get16(const Buf& b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

// The first record: an alert, or a handshake record starting with ServerHello. True once decided.
bool parse_answer(const Buf& in, HelloAnswer* a) {
  if (in.size() < 5) return false;
  const std::uint8_t type = in[0];
  if (type == kAlert) {
    if (in.size() < 7) return false;
    a->detail = "TLS alert " + std::to_string(in[6]) + (in[5] == 2 ? " (fatal)" : " (warning)");
    return true;
  }
  if (type != kHandshake) {
    a->detail = "not a TLS handshake record (content type " + std::to_string(type) + ")";
    return true;
  }
  // record(5) type(1) length(3) version(2) random(32) session_id_len(1)
  constexpr std::size_t kSessionLen = 5 + 4 + 2 + 32;
  if (in.size() < kSessionLen + 1) return false;
  if (in[5] != kServerHelloType) {
    a->detail = "the first handshake message has type " + std::to_string(in[5]) + ", not ServerHello";
    return true;
  }
  const std::size_t at = kSessionLen + 1 + in[kSessionLen];
  if (in.size() < at + 3) return false;
  a->server_hello = true;
  a->version = get16(in, 9);
  a->cipher_suite = get16(in, at);
  a->compression_method = in[at + 2];
  a->detail = "ServerHello";
  return true;
}

}  // namespace

bool probe_server_hello(const Endpoint& endpoint, const HelloProbe& probe, Deadline deadline,
                        HelloAnswer* answer, ConnectError* error) {
  using namespace detail;
  std::string peer, why;
  Fd fd = dial(endpoint, deadline, &peer, &why);
  if (!fd.valid()) {
    if (error != nullptr) error->message = why;
    return false;
  }
  const std::string host = strip_brackets(endpoint.host);
  const std::string sni = !probe.sni.empty() ? probe.sni : is_ip_literal(host) ? std::string() : host;
  auto conn = make_tcp_connection(std::move(fd), peer);
  *answer = HelloAnswer{};
  IoResult w = conn->write_all(client_hello(probe, sni), deadline);
  Buf in;
  while (w.ok() && in.size() < kMaxRead && !parse_answer(in, answer)) {
    std::uint8_t buf[2048];
    IoResult r = conn->read_some(buf, deadline);
    if (!r.ok()) {
      answer->detail = r.status == IoStatus::kTimeout ? "no answer before the deadline" : "the connection ended (" + to_string(r.status) + ")";
      break;
    }
    in.insert(in.end(), buf, buf + r.n);
  }
  if (!w.ok()) answer->detail = "the ClientHello could not be written (" + w.detail + ")";
  conn->close();
  return true;
}

}  // namespace h2conform::transport
