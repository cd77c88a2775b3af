// TLS-level cases: a case's top-level "tls" field (cases/README.md) says what we offer in the
// TLS handshake and how the handshake's result is judged before the steps run; the
// `tls_renegotiate` step asks for a TLS 1.2 renegotiation once HTTP/2 is running.
//
// Contract: the handshake is made through the source's TlsVariation (connect_varied_tls()); a
// source without it (cleartext, accepting, in-memory) makes such cases skip with a reason. A refused handshake
// is data for the case to judge, never a harness error; only a failed TCP connect is.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/model/case_model.h"
#include "runner/engine/model/result.h"
#include "runner/engine/script/interpreter_internal.h"
#include "runner/engine/case/script.h"

namespace h2conform::engine {

// Applies the offer (alpn, versions, ciphers, groups, sni, ...) to a copy of a source's options.
void apply_tls_offer(const TlsSpec& tls, transport::TlsClientOptions* options);

// The start of a TLS-level case: either decided (the verdict stands and no step runs), or a
// connection to run the steps on, or neither (TCP connect failed: the target is down).
struct TlsCaseStart {
  bool decided = false;
  Verdict verdict = Verdict::kError;
  std::string reason, expected, observed;
  std::unique_ptr<transport::Connection> conn;
  std::string connect_error;  // when neither
};
TlsCaseStart start_tls_case(const Case& c, ConnectionSource& source, Clock& clock,
                            std::chrono::milliseconds timeout);
// Copies a decided start's verdict and texts into the case result.
void fill_decided_tls_case(const TlsCaseStart& start, CaseResult* r);

// After the steps: checks that hold for the whole connection ("no_post_handshake_requests").
// Turns *end into a fail when one does not hold (keeping an earlier failure's reason).
void check_tls_after_steps(const Case& c, const std::optional<transport::TlsInfo>& info,
                           StepResult* end);

// The `tls_renegotiate` step (RFC 9113 §9.2.1).
StepResult run_tls_renegotiate(const TlsRenegotiate& step, CaseRun& run);

}  // namespace h2conform::engine
