// The client mutants: the reference client with one ClientFaults switch each.
#include "tests/reference/client_mutants.h"

#include <functional>

namespace h2conform::reference {
namespace {

ClientMutant mutant(std::string name, std::string description, const ClientConfig& config,
                    const std::function<void(ClientFaults&)>& set) {
  ClientMutant m{std::move(name), std::move(description), config, {}};
  set(m.faults);
  return m;
}

}  // namespace

std::vector<ClientMutant> all_client_mutants(const ClientConfig& config) {
  std::vector<ClientMutant> all = {
      mutant("accept_malformed_response", "uses malformed responses and pushes as valid ones (no RFC 9113 §8 checks)",
             config, [](ClientFaults& f) { f.accept_malformed_response = true; }),
      mutant("ignore_settings_errors", "accepts SETTINGS values outside their ranges", config,
             [](ClientFaults& f) { f.ignore_settings_errors = true; }),
      mutant("wrong_codes", "sends every GOAWAY and RST_STREAM with another specific error code", config,
             [](ClientFaults& f) { f.codes = CodeFault::kWrongCodes; }),
      mutant("generic_protocol", "reports every error with PROTOCOL_ERROR", config,
             [](ClientFaults& f) { f.codes = CodeFault::kGenericProtocol; }),
      mutant("no_flow_control_check", "accepts DATA beyond its windows and windows above 2^31-1", config,
             [](ClientFaults& f) { f.no_flow_control_check = true; }),
      mutant("ignore_hpack_errors", "drops a field block that does not decode instead of COMPRESSION_ERROR", config,
             [](ClientFaults& f) { f.ignore_hpack_errors = true; }),
      mutant("ignore_stream_states", "passes over frames on idle, reserved and closed streams", config,
             [](ClientFaults& f) { f.ignore_stream_states = true; }),
      mutant("ignore_frame_errors", "passes over frames the decoder refuses (sizes, stream 0 rules, padding)", config,
             [](ClientFaults& f) { f.ignore_frame_errors = true; }),
      mutant("no_window_update", "never gives flow-control credit back", config,
             [](ClientFaults& f) { f.no_window_update = true; }),
      mutant("uppercase_request_field", "adds a field with an uppercase name to its request (RFC 9113 §8.2.1)", config,
             [](ClientFaults& f) { f.uppercase_request_field = true; }),
      mutant("exit_zero_always", "exits 0 whatever happened", config,
             [](ClientFaults& f) { f.exit_zero_always = true; }),
  };
  all.push_back(mutant("too_strict", "refuses unknown frame types, flags and settings, the reserved bit, padding, "
                       "PRIORITY and CONTINUATION", config, [](ClientFaults& f) { f.too_strict = true; }));
  all.push_back(mutant("forget_dynamic_table", "keeps no HPACK dynamic table entry from one field block to the next",
                       config, [](ClientFaults& f) { f.forget_dynamic_table = true; }));
  all.push_back(mutant("refuse_setting_bounds", "refuses SETTINGS values at the ends of their ranges, and any ENABLE_PUSH",
                       config, [](ClientFaults& f) { f.refuse_setting_bounds = true; }));
  all.push_back(mutant("goaway_aborts", "gives up its request on any GOAWAY, whatever its last_stream_id", config,
                       [](ClientFaults& f) { f.goaway_aborts = true; }));
  all.push_back(mutant("ack_ping_acks", "answers a PING ACK with another ACK", config,
                       [](ClientFaults& f) { f.ack_ping_acks = true; }));
  all.push_back(mutant("echo_ping_header", "answers a PING with an ACK that keeps the PING's reserved bit and unused flags",
                       config, [](ClientFaults& f) { f.echo_ping_header = true; }));
  all.push_back(mutant("interim_as_final", "takes a 1xx response for the final one", config,
                       [](ClientFaults& f) { f.interim_as_final = true; }));
  all.push_back(mutant("no_trailers", "treats trailers as a malformed response", config,
                       [](ClientFaults& f) { f.no_trailers = true; }));
  if (!config.enable_push) {
    all.push_back(mutant("accept_push_when_disabled", "passes over PUSH_PROMISE after SETTINGS_ENABLE_PUSH 0", config,
                         [](ClientFaults& f) { f.accept_push_when_disabled = true; }));
  }
  ClientMutant no_settings = mutant("no_preface_settings", "sends the preface without its SETTINGS frame", config,
                                    [](ClientFaults& f) { f.no_preface_settings = true; });
  ClientMutant no_ack = mutant("no_settings_ack", "never ACKs the server's SETTINGS", config,
                               [](ClientFaults& f) { f.no_settings_ack = true; });
  no_settings.setup = no_ack.setup = true;
  all.push_back(no_settings);
  all.push_back(no_ack);
  for (ClientMutant& m : all) {
    if (m.name == "generic_protocol") m.guarantee = ClientMutant::Guarantee::kGenericCodes;
  }
  return all;
}

}  // namespace h2conform::reference
