// Helpers shared by the case-file loader (loader.cc, loader_steps.cc, loader_values.cc).
//
// Contract: every check throws LoadError naming the file and the JSON pointer of the offending
// value; nothing here touches the network or the file system.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runner/engine/engine.h"

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
// A number in [0, max] or an expression string "$name + n" (expressions.h).
void check_value(const json& value, const Ctx& ctx, std::uint64_t max);
void check_hex(const json& value, const Ctx& ctx);
void check_hex_of_size(const json& value, const Ctx& ctx, std::size_t octets);

std::uint8_t check_frame_type(const json& value, const Ctx& ctx);
std::uint32_t check_error_code(const json& value, const Ctx& ctx);
// One code or a non-empty list of codes.
void check_error_codes(const json& value, const Ctx& ctx, bool allow_single);
void check_flags(const json& value, const Ctx& ctx, std::uint8_t frame_type);
std::uint16_t check_setting_id(const std::string& name, const Ctx& ctx);
// {"NAME": value} or [["NAME", value], ...].
void check_settings(const json& value, const Ctx& ctx);

// A field value: a string, where "$authority", "$scheme", "$path", "$method" are the target's,
// or {"fill": "text", "size": N} (loader_values.cc).
void check_field_value(const json& value, const Ctx& ctx);
// One HPACK `block` instruction (loader_values.cc).
void check_hpack_instruction(const json& value, const Ctx& ctx);

// Steps (loader_steps.cc) and outcomes (loader_outcomes.cc).
void check_steps(const json& steps, const Ctx& ctx, int depth);
void check_send(const json& send, const Ctx& ctx);
void check_expect(const json& expect, const Ctx& ctx);

}  // namespace h2conform::engine::load
