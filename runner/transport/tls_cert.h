// Internal: a self-signed certificate made in memory, and PEM conversions. Used by the TLS
// listener when no certificate files are given, and by tests that need files for a peer.
#pragma once

#include <string>

#include "runner/transport/tls_util.h"

namespace h2conform::transport::detail {

struct SelfSigned {
  EvpPkeyPtr key;
  X509Ptr cert;
};

// An EC P-256 key (RSA 2048 when `rsa`) and an X.509 v3 certificate for CN=localhost, valid from
// an hour ago for 30 days, with subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1. False (with
// *error) on failure.
bool make_self_signed(SelfSigned* out, std::string* error, bool rsa = false);

// PEM text of a certificate or a private key (PKCS#8, unencrypted); empty on failure.
std::string certificate_to_pem(X509* cert);
std::string private_key_to_pem(EVP_PKEY* key);

}  // namespace h2conform::transport::detail
