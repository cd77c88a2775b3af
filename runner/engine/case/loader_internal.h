// Helpers shared by the case-file loader (loader.cc, loader_steps.cc, loader_values.cc).
//
// Contract: every check throws LoadError naming the file and the JSON pointer of the offending
// value, and returns the value converted to the typed script (script.h); nothing here touches
// the network or the file system.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runner/engine/case/loader.h"
#include "runner/engine/case/script.h"

namespace h2conform::engine::load {

using nlohmann::json;

// Where we are in a file: the file name, the JSON pointer, and a note such as the matrix row.
class Ctx {
 public:
  Ctx(const std::string& file, std::string pointer, std::string note = {})
      : file_(&file), pointer_(std::move(pointer)), note_(std::move(note)) {}
  Ctx at(std::string_view key) const;
  Ctx at(std::size_t index) const;
  [[noreturn]] void fail(const std::string& message) const;
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return *file_; }

 private:
  const std::string* file_;
  std::string pointer_;
  std::string note_;
};

// The value must be an object whose keys are all in `allowed`.
void check_keys(const json& value, const Ctx& ctx, std::initializer_list<std::string_view> allowed);
// The object's member `key`, which must be present.
const json& require_key(const json& object, const Ctx& ctx, std::string_view key);
bool has_key(const json& object, std::string_view key);

const std::string& check_string(const json& value, const Ctx& ctx);
const std::string& check_nonempty_string(const json& value, const Ctx& ctx);
bool check_bool(const json& value, const Ctx& ctx);
std::uint64_t check_uint(const json& value, const Ctx& ctx, std::uint64_t min, std::uint64_t max);
// A number in [0, max] or an expression string "$name + n" (expressions.h), parsed.
Number check_value(const json& value, const Ctx& ctx, std::uint64_t max);
ScriptBytes check_hex(const json& value, const Ctx& ctx);
ScriptBytes check_hex_of_size(const json& value, const Ctx& ctx, std::size_t octets);
Opaque check_opaque(const json& value, const Ctx& ctx);  // 8 octets of hex

std::uint8_t check_frame_type(const json& value, const Ctx& ctx);
std::uint32_t check_error_code(const json& value, const Ctx& ctx);
// One code or a non-empty list of codes.
std::vector<std::uint32_t> check_error_codes(const json& value, const Ctx& ctx, bool allow_single);
std::uint8_t check_flags(const json& value, const Ctx& ctx, std::uint8_t frame_type);
std::uint16_t check_setting_id(const std::string& name, const Ctx& ctx);
// {"NAME": value} or [["NAME", value], ...]; an object's settings come in name order.
SettingList check_settings(const json& value, const Ctx& ctx);

// A field value: a string, where "$authority", "$scheme", "$path", "$method" are the target's,
// or {"fill": "text", "size": N} (loader_values.cc).
FieldValue check_field_value(const json& value, const Ctx& ctx);
// One HPACK `block` instruction (loader_values.cc).
HpackInstruction check_hpack_instruction(const json& value, const Ctx& ctx);

// Steps (loader_steps.cc, loader_send.cc) and outcomes (loader_outcomes.cc).
std::vector<Step> check_steps(const json& steps, const Ctx& ctx, int depth);
Send check_send(const json& send, const Ctx& ctx);
Expect check_expect(const json& expect, const Ctx& ctx);
// `require: {"observed": NAME}` (loader_steps.cc; names from observed_count, push_checks.h).
Require check_require_observed(const json& step, const Ctx& ctx);

// The case's "tls" field and `tls_renegotiate` steps (loader_tls.cc).
TlsSpec check_tls_field(const json& tls, const Ctx& ctx);
TlsRenegotiate check_tls_renegotiate(const json& step, const Ctx& ctx);

}  // namespace h2conform::engine::load
