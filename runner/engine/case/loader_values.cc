// Value checks for the case-file loader: strings, numbers, expressions, hex, wire names.
#include <cctype>

#include "runner/engine/case/expressions.h"
#include "runner/engine/case/json_values.h"
#include "runner/engine/case/loader_internal.h"
#include "runner/wire/frame.h"

namespace h2conform::engine::load {
namespace {

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string describe_type(const json& value) {
  return std::string(value.type_name());
}

}  // namespace

Ctx Ctx::at(std::string_view key) const {
  return Ctx(*file_, pointer_ + "/" + escape_pointer_token(key), note_);
}

Ctx Ctx::at(std::size_t index) const {
  return Ctx(*file_, pointer_ + "/" + std::to_string(index), note_);
}

void Ctx::fail(const std::string& message) const {
  throw LoadError(*file_, pointer_, note_.empty() ? message : message + " (" + note_ + ")");
}

bool has_key(const json& object, std::string_view key) {
  return object.is_object() && object.contains(key);
}

void check_keys(const json& value, const Ctx& ctx, std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) ctx.fail("expected an object, got " + describe_type(value));
  for (const auto& [key, unused] : value.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) ctx.at(key).fail("unknown key \"" + key + "\"");
  }
}

const json& require_key(const json& object, const Ctx& ctx, std::string_view key) {
  if (!has_key(object, key)) ctx.fail("missing required key \"" + std::string(key) + "\"");
  return object.at(std::string(key));
}

const std::string& check_string(const json& value, const Ctx& ctx) {
  if (!value.is_string()) ctx.fail("expected a string, got " + describe_type(value));
  return value.get_ref<const std::string&>();
}

const std::string& check_nonempty_string(const json& value, const Ctx& ctx) {
  const std::string& s = check_string(value, ctx);
  if (s.empty()) ctx.fail("must not be empty");
  return s;
}

bool check_bool(const json& value, const Ctx& ctx) {
  if (!value.is_boolean()) ctx.fail("expected true or false, got " + describe_type(value));
  return value.get<bool>();
}

std::uint64_t check_uint(const json& value, const Ctx& ctx, std::uint64_t min, std::uint64_t max) {
  if (!value.is_number_integer()) ctx.fail("expected an integer, got " + describe_type(value));
  if (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0) {
    ctx.fail("must not be negative");
  }
  auto v = value.get<std::uint64_t>();
  if (v < min || v > max) {
    ctx.fail(std::to_string(v) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return v;
}

Number check_value(const json& value, const Ctx& ctx, std::uint64_t max) {
  if (value.is_string()) {
    std::string error;
    auto expression = parse_expression(value.get<std::string>(), &error);
    if (!expression) ctx.fail("bad expression \"" + value.get<std::string>() + "\": " + error);
    return Number{*expression};
  }
  return Number::literal(static_cast<std::int64_t>(check_uint(value, ctx, 0, max)));
}

ScriptBytes check_hex(const json& value, const Ctx& ctx) {
  const std::string& s = check_string(value, ctx);
  std::size_t digits = 0;
  for (char c : s) {
    if (c == ' ') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
      ctx.fail(std::string("bad hex: '") + c + "' is not a hex digit");
    }
    ++digits;
  }
  if (digits % 2 != 0) ctx.fail("bad hex: odd number of digits");
  auto bytes = parse_hex(s);
  if (!bytes) ctx.fail("bad hex");
  return *bytes;
}

ScriptBytes check_hex_of_size(const json& value, const Ctx& ctx, std::size_t octets) {
  ScriptBytes bytes = check_hex(value, ctx);
  if (bytes.size() != octets) ctx.fail("expected exactly " + std::to_string(octets) + " octets of hex");
  return bytes;
}

Opaque check_opaque(const json& value, const Ctx& ctx) {
  ScriptBytes bytes = check_hex_of_size(value, ctx, 8);
  Opaque out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

std::uint8_t check_frame_type(const json& value, const Ctx& ctx) {
  if (value.is_number_integer()) return static_cast<std::uint8_t>(check_uint(value, ctx, 0, 255));
  const std::string& s = check_string(value, ctx);
  auto type = wire::parse_frame_type(s);
  if (!type) ctx.fail("unknown frame type \"" + s + "\"");
  return *type;
}

std::uint32_t check_error_code(const json& value, const Ctx& ctx) {
  if (value.is_number_integer()) {
    return static_cast<std::uint32_t>(check_uint(value, ctx, 0, 0xffffffffu));
  }
  const std::string& s = check_string(value, ctx);
  auto code = wire::parse_error_code(s);
  if (!code) ctx.fail("unknown error code \"" + s + "\"");
  return *code;
}

std::vector<std::uint32_t> check_error_codes(const json& value, const Ctx& ctx, bool allow_single) {
  if (!value.is_array()) {
    if (!allow_single) ctx.fail("expected a list of error codes");
    return {check_error_code(value, ctx)};
  }
  if (value.empty()) ctx.fail("the list of error codes is empty");
  std::vector<std::uint32_t> codes;
  for (std::size_t i = 0; i < value.size(); ++i) codes.push_back(check_error_code(value[i], ctx.at(i)));
  return codes;
}

std::uint8_t check_flags(const json& value, const Ctx& ctx, std::uint8_t frame_type) {
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string& name = check_string(value[i], ctx.at(i));
      if (!wire::parse_flag(frame_type, name)) {
        ctx.at(i).fail("unknown flag \"" + name + "\" for " + wire::frame_type_name(frame_type));
      }
    }
  }
  if (value.is_number_integer()) check_uint(value, ctx, 0, 255);
  auto flags = flags_from_json(value, frame_type);
  if (!flags) ctx.fail("flags are a list of names or a number 0..255");
  return *flags;
}

std::uint16_t check_setting_id(const std::string& name, const Ctx& ctx) {
  auto id = wire::parse_setting_id(name);
  if (!id) ctx.fail("unknown setting \"" + name + "\"");
  return *id;
}

SettingList check_settings(const json& value, const Ctx& ctx) {
  SettingList out;
  if (value.is_object()) {
    for (const auto& [name, v] : value.items()) {
      out.push_back({check_setting_id(name, ctx.at(name)), check_value(v, ctx.at(name), 0xffffffffu)});
    }
    return out;
  }
  if (!value.is_array()) ctx.fail("settings are an object or a list of [name, value] pairs");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& pair = value[i];
    if (!pair.is_array() || pair.size() != 2) ctx.at(i).fail("expected a [name, value] pair");
    std::uint16_t id = check_setting_id(check_string(pair[0], ctx.at(i).at(0)), ctx.at(i).at(0));
    out.push_back({id, check_value(pair[1], ctx.at(i).at(1), 0xffffffffu)});
  }
  return out;
}

}  // namespace h2conform::engine::load

namespace h2conform::engine::load {
namespace {

hpack::Indexing check_indexing(const json& value, const Ctx& ctx) {
  const std::string& i = check_string(value, ctx);
  if (i == "incremental") return hpack::Indexing::kIncremental;
  if (i == "without") return hpack::Indexing::kWithout;
  if (i == "never") return hpack::Indexing::kNever;
  ctx.fail("expected \"incremental\", \"without\" or \"never\"");
}

// A [name, value] pair whose value is plain text.
std::pair<std::string, std::string> check_text_pair(const json& value, const Ctx& ctx) {
  if (!value.is_array() || value.size() != 2) ctx.fail("expected a [name, value] pair");
  return {check_string(value[0], ctx.at(0)), check_string(value[1], ctx.at(1))};
}

// A [name, value] pair whose value takes the field value forms ("$authority", fill).
std::pair<std::string, FieldValue> check_field_pair(const json& value, const Ctx& ctx) {
  if (!value.is_array() || value.size() != 2) ctx.fail("expected a [name, value] pair");
  std::string name = check_string(value[0], ctx.at(0));
  return {name, check_field_value(value[1], ctx.at(1))};
}

std::optional<FieldValue::Kind> target_name(const std::string& s) {
  if (s == "$authority") return FieldValue::Kind::kAuthority;
  if (s == "$scheme") return FieldValue::Kind::kScheme;
  if (s == "$path") return FieldValue::Kind::kPath;
  if (s == "$method") return FieldValue::Kind::kMethod;
  return std::nullopt;
}

// The instruction's `indexing` and `huffman` options (defaults: "without", false).
template <typename Literal>
Literal with_literal_options(Literal literal, const json& value, const Ctx& ctx) {
  if (has_key(value, "indexing")) literal.indexing = check_indexing(value["indexing"], ctx.at("indexing"));
  if (has_key(value, "huffman")) literal.huffman = check_bool(value["huffman"], ctx.at("huffman"));
  return literal;
}

// "$" and then only lower-case letters and '_': meant as a name, so it must be a known one.
bool looks_like_name(const std::string& s) {
  if (s.size() < 2 || s[0] != '$') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (!(std::islower(static_cast<unsigned char>(s[i])) || s[i] == '_')) return false;
  }
  return true;
}

}  // namespace

FieldValue check_field_value(const json& value, const Ctx& ctx) {
  FieldValue out;
  if (value.is_object()) {
    check_keys(value, ctx, {"fill", "size"});
    out.kind = FieldValue::Kind::kFill;
    out.text = check_nonempty_string(require_key(value, ctx, "fill"), ctx.at("fill"));
    out.size = check_value(require_key(value, ctx, "size"), ctx.at("size"), kMaxFieldValueSize);
    return out;
  }
  const std::string& s = check_string(value, ctx);
  if (auto kind = target_name(s)) {
    out.kind = *kind;
    return out;
  }
  if (looks_like_name(s)) {
    ctx.fail("unknown value name \"" + s + "\" (known: $authority, $scheme, $path, $method)");
  }
  out.text = s;
  return out;
}

// cases/README.md "HPACK block instructions".
HpackInstruction check_hpack_instruction(const json& value, const Ctx& ctx) {
  if (!value.is_object() || value.empty()) ctx.fail("an HPACK instruction is an object");
  if (has_key(value, "indexed")) {
    check_keys(value, ctx, {"indexed"});
    return IndexedField{check_value(value["indexed"], ctx.at("indexed"), 0xffffffffu)};
  }
  if (has_key(value, "literal")) {
    check_keys(value, ctx, {"literal", "indexing", "huffman"});
    auto [name, field] = check_field_pair(value["literal"], ctx.at("literal"));
    return with_literal_options(LiteralField{name, field}, value, ctx);
  }
  if (has_key(value, "literal_name_index")) {
    check_keys(value, ctx, {"literal_name_index", "value", "indexing", "huffman"});
    Number index = check_value(value["literal_name_index"], ctx.at("literal_name_index"), 0xffffffffu);
    FieldValue field = check_field_value(require_key(value, ctx, "value"), ctx.at("value"));
    return with_literal_options(LiteralIndexedName{index, field}, value, ctx);
  }
  if (has_key(value, "size_update")) {
    check_keys(value, ctx, {"size_update"});
    return SizeUpdate{check_value(value["size_update"], ctx.at("size_update"), 0xffffffffu)};
  }
  if (has_key(value, "hex")) {
    check_keys(value, ctx, {"hex"});
    return RawOctets{check_hex(value["hex"], ctx.at("hex"))};
  }
  if (has_key(value, "bad_huffman")) {
    check_keys(value, ctx, {"bad_huffman", "pad_bits", "zero_padding", "embed_eos"});
    BadHuffman out;
    std::tie(out.name, out.value) = check_text_pair(value["bad_huffman"], ctx.at("bad_huffman"));
    if (has_key(value, "pad_bits")) out.pad_bits = static_cast<int>(check_uint(value["pad_bits"], ctx.at("pad_bits"), 0, 64));
    if (has_key(value, "zero_padding")) out.zero_padding = check_bool(value["zero_padding"], ctx.at("zero_padding"));
    if (has_key(value, "embed_eos")) out.embed_eos = check_bool(value["embed_eos"], ctx.at("embed_eos"));
    return out;
  }
  if (has_key(value, "overflow_integer")) {
    check_keys(value, ctx, {"overflow_integer"});
    const json& o = value["overflow_integer"];
    Ctx oc = ctx.at("overflow_integer");
    check_keys(o, oc, {"first_byte", "prefix", "bytes"});
    OverflowInteger out;
    if (has_key(o, "first_byte")) {
      if (o["first_byte"].is_string()) {
        auto n = parse_number(o["first_byte"].get<std::string>());
        if (!n || *n > 255) oc.at("first_byte").fail("expected a number 0..255");
        out.first_byte = static_cast<std::uint8_t>(*n);
      } else {
        out.first_byte = static_cast<std::uint8_t>(check_uint(o["first_byte"], oc.at("first_byte"), 0, 255));
      }
    }
    out.prefix = static_cast<int>(check_uint(require_key(o, oc, "prefix"), oc.at("prefix"), 1, 8));
    out.bytes = static_cast<int>(check_uint(require_key(o, oc, "bytes"), oc.at("bytes"), 1, 64));
    return out;
  }
  ctx.at(value.begin().key()).fail("unknown HPACK instruction \"" + value.begin().key() + "\"");
}

}  // namespace h2conform::engine::load
