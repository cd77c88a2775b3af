// `send` steps (cases/README.md "send"): validated and converted to the typed Send (script.h),
// with the format's defaults filled in here.
#include "runner/engine/case/loader_internal.h"
#include "runner/wire/frame.h"

namespace h2conform::engine::load {
namespace {

constexpr std::uint64_t kMaxStream = wire::kMaxStreamId;
constexpr std::uint64_t kMaxDataSize = 1u << 24;
constexpr std::uint32_t kCancel = 0x8;   // RST_STREAM's default error_code
constexpr std::uint32_t kNoError = 0x0;  // GOAWAY's default error_code
constexpr std::uint8_t kData = 0x0, kHeaders = 0x1, kPriority = 0x2, kRstStream = 0x3, kPing = 0x6,
                       kGoaway = 0x7, kPushPromise = 0x5, kContinuation = 0x9;

FieldPairs check_field_pairs(const json& value, const Ctx& ctx) {
  if (!value.is_array()) ctx.fail("expected a list of [name, value] pairs");
  FieldPairs out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& pair = value[i];
    if (!pair.is_array() || pair.size() != 2) ctx.at(i).fail("expected a [name, value] pair");
    std::string name = check_string(pair[0], ctx.at(i).at(0));
    out.emplace_back(std::move(name), check_field_value(pair[1], ctx.at(i).at(1)));
  }
  return out;
}

RequestBlock check_request(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"method", "path", "scheme", "authority", "add", "remove", "set"});
  RequestBlock out;
  auto pseudo = [&](const char* key, std::optional<FieldValue>* slot) {
    if (has_key(value, key)) *slot = check_field_value(value[key], ctx.at(key));
  };
  pseudo("method", &out.method);
  pseudo("path", &out.path);
  pseudo("scheme", &out.scheme);
  pseudo("authority", &out.authority);
  if (has_key(value, "add")) out.add = check_field_pairs(value["add"], ctx.at("add"));
  if (has_key(value, "set")) out.set = check_field_pairs(value["set"], ctx.at("set"));
  if (has_key(value, "remove")) {
    const json& names = value["remove"];
    if (!names.is_array()) ctx.at("remove").fail("expected a list of field names");
    for (std::size_t i = 0; i < names.size(); ++i) out.remove.push_back(check_string(names[i], ctx.at("remove").at(i)));
  }
  return out;
}

hpack::EncoderOptions check_encoding(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"huffman", "indexing"});
  hpack::EncoderOptions options;  // defaults: huffman "auto", indexing "incremental"
  if (has_key(value, "huffman")) {
    const std::string& h = check_string(value["huffman"], ctx.at("huffman"));
    if (h == "auto") options.huffman = hpack::HuffmanMode::kAuto;
    else if (h == "always") options.huffman = hpack::HuffmanMode::kAlways;
    else if (h == "never") options.huffman = hpack::HuffmanMode::kNever;
    else ctx.at("huffman").fail("expected \"auto\", \"always\" or \"never\"");
  }
  if (has_key(value, "indexing")) {
    const std::string& i = check_string(value["indexing"], ctx.at("indexing"));
    if (i == "incremental") options.indexing = hpack::Indexing::kIncremental;
    else if (i == "without") options.indexing = hpack::Indexing::kWithout;
    else if (i == "never") options.indexing = hpack::Indexing::kNever;
    else ctx.at("indexing").fail("expected \"incremental\", \"without\" or \"never\"");
  }
  return options;
}

FieldBlockSpec check_field_block(const json& send, const Ctx& ctx, bool required) {
  int sources = 0;
  for (const char* key : {"request", "fields", "block", "fragment_hex"}) sources += has_key(send, key);
  if (sources > 1) ctx.fail("a field block has one source: request, fields, block or fragment_hex");
  if (sources == 0 && required) ctx.fail("missing field block: request, fields, block or fragment_hex");
  if (has_key(send, "encoding") && !has_key(send, "request") && !has_key(send, "fields")) {
    ctx.at("encoding").fail("encoding applies only to request and fields");
  }
  if (has_key(send, "request")) {
    RequestBlock request = check_request(send["request"], ctx.at("request"));
    if (has_key(send, "encoding")) request.encoding = check_encoding(send["encoding"], ctx.at("encoding"));
    return request;
  }
  if (has_key(send, "fields")) {
    FieldsBlock fields{check_field_pairs(send["fields"], ctx.at("fields"))};
    if (has_key(send, "encoding")) fields.encoding = check_encoding(send["encoding"], ctx.at("encoding"));
    return fields;
  }
  if (has_key(send, "fragment_hex")) return FragmentBlock{check_hex(send["fragment_hex"], ctx.at("fragment_hex"))};
  if (has_key(send, "block")) {
    const json& block = send["block"];
    if (!block.is_array()) ctx.at("block").fail("expected a list of HPACK instructions");
    InstructionBlock out;
    for (std::size_t i = 0; i < block.size(); ++i) {
      out.instructions.push_back(check_hpack_instruction(block[i], ctx.at("block").at(i)));
    }
    return out;
  }
  return NoBlock{};
}

PrioritySpec check_priority_fields(const json& value, const Ctx& ctx) {
  PrioritySpec out;  // defaults: dependency 0, not exclusive, weight 16
  if (has_key(value, "dependency")) out.dependency = check_value(value["dependency"], ctx.at("dependency"), kMaxStream);
  if (has_key(value, "exclusive")) out.exclusive = check_bool(value["exclusive"], ctx.at("exclusive"));
  if (has_key(value, "weight")) out.weight = static_cast<std::uint16_t>(check_uint(value["weight"], ctx.at("weight"), 1, 256));
  return out;
}

// Keys every send accepts, and the type-specific ones.
struct TypeKeys {
  std::uint8_t type;
  std::initializer_list<std::string_view> keys;
};

const std::initializer_list<std::string_view>* keys_for(std::uint8_t type) {
  static const TypeKeys kTable[] = {
      {0x0, {"data", "data_hex", "data_size", "padding"}},
      {0x1, {"request", "fields", "block", "fragment_hex", "encoding", "priority", "padding"}},
      {0x2, {"dependency", "exclusive", "weight"}},
      {0x3, {"error_code"}},
      {0x4, {"settings", "ack"}},
      {0x5, {"promised_stream", "request", "fields", "block", "fragment_hex", "encoding", "padding"}},
      {0x6, {"data_hex", "ack"}},
      {0x7, {"last_stream_id", "error_code", "debug"}},
      {0x8, {"increment"}},
      {0x9, {"request", "fields", "block", "fragment_hex", "encoding"}},
      {0x10, {"prioritized_stream", "field_value"}},
  };
  static const std::initializer_list<std::string_view> kUnknown = {"payload_hex"};
  for (const auto& row : kTable) {
    if (row.type == type) return &row.keys;
  }
  return &kUnknown;
}

void check_unknown_keys(const json& send, const Ctx& ctx, std::uint8_t type) {
  static constexpr std::string_view kCommon[] = {"type", "stream", "flags", "length", "reserved",
                                                 "pad_length", "truncate", "append_hex", "chop",
                                                 "note"};
  const auto* specific = keys_for(type);
  for (const auto& [key, unused] : send.items()) {
    bool known = false;
    for (auto k : kCommon) known = known || k == key;
    for (auto k : *specific) known = known || k == key;
    if (!known) {
      ctx.at(key).fail("unknown key \"" + key + "\" for a " + wire::frame_type_name(type) + " send");
    }
  }
}

void check_type_fields(const json& send, const Ctx& ctx, std::uint8_t type, Send* out) {
  if (has_key(send, "data")) {
    const std::string& text = check_string(send["data"], ctx.at("data"));
    out->payload.assign(text.begin(), text.end());
  }
  if (has_key(send, "data_hex")) {
    if (type == kPing) {
      out->opaque = check_opaque(send["data_hex"], ctx.at("data_hex"));
    } else {
      out->payload = check_hex(send["data_hex"], ctx.at("data_hex"));
    }
  }
  if (has_key(send, "data_size")) out->data_size = check_value(send["data_size"], ctx.at("data_size"), kMaxDataSize);
  if (type == kData && has_key(send, "data") + has_key(send, "data_hex") + has_key(send, "data_size") > 1) {
    ctx.fail("DATA takes one of data, data_hex or data_size");
  }
  if (has_key(send, "padding")) {
    out->padding = static_cast<std::uint8_t>(check_uint(send["padding"], ctx.at("padding"), 0, 255));
  }
  if (type == kHeaders || type == kPushPromise || type == kContinuation) {
    out->block = check_field_block(send, ctx, false);
  }
  if (has_key(send, "priority")) out->priority = check_priority_fields(send["priority"], ctx.at("priority"));
  if (type == kPriority) out->priority = check_priority_fields(send, ctx);
  out->error_code = type == kRstStream ? kCancel : kNoError;
  if (has_key(send, "error_code")) out->error_code = check_error_code(send["error_code"], ctx.at("error_code"));
  if (has_key(send, "settings")) out->settings = check_settings(send["settings"], ctx.at("settings"));
  if (has_key(send, "ack")) out->ack = check_bool(send["ack"], ctx.at("ack"));
  if (has_key(send, "promised_stream")) {
    out->promised_stream = check_value(send["promised_stream"], ctx.at("promised_stream"), kMaxStream);
  }
  if (has_key(send, "last_stream_id")) {
    out->last_stream_id = check_value(send["last_stream_id"], ctx.at("last_stream_id"), kMaxStream);
  }
  if (has_key(send, "debug")) out->debug = check_string(send["debug"], ctx.at("debug"));
  out->increment = Number::literal(1);
  if (has_key(send, "increment")) out->increment = check_value(send["increment"], ctx.at("increment"), kMaxStream);
  if (has_key(send, "prioritized_stream")) {
    out->prioritized_stream = check_value(send["prioritized_stream"], ctx.at("prioritized_stream"), kMaxStream);
  }
  if (has_key(send, "field_value")) out->field_value = check_string(send["field_value"], ctx.at("field_value"));
  if (has_key(send, "payload_hex")) out->payload = check_hex(send["payload_hex"], ctx.at("payload_hex"));
}

// "overrides: length=7, reserved=true" as the transcript shows a send's overrides.
std::string describe_overrides(const json& send) {
  std::string out;
  for (const char* key : {"length", "reserved", "pad_length", "truncate", "append_hex"}) {
    if (has_key(send, key)) out += std::string(out.empty() ? "overrides: " : ", ") + key + "=" + send[key].dump();
  }
  return out;
}

}  // namespace

Send check_send(const json& send, const Ctx& ctx) {
  if (!send.is_object()) ctx.fail("send takes an object");
  Send out;
  out.type = check_frame_type(require_key(send, ctx, "type"), ctx.at("type"));
  const std::uint8_t type = out.type;
  check_unknown_keys(send, ctx, type);
  if (has_key(send, "stream")) out.stream = check_value(send["stream"], ctx.at("stream"), kMaxStream);
  if (has_key(send, "flags")) out.flags = check_flags(send["flags"], ctx.at("flags"), type);
  if (has_key(send, "length")) out.length = check_value(send["length"], ctx.at("length"), wire::kMaxAllowedFrameSize);
  if (has_key(send, "reserved")) out.reserved = check_bool(send["reserved"], ctx.at("reserved"));
  if (has_key(send, "pad_length")) {
    out.pad_length = static_cast<std::uint8_t>(check_uint(send["pad_length"], ctx.at("pad_length"), 0, 255));
  }
  if (has_key(send, "truncate")) out.truncate = check_value(send["truncate"], ctx.at("truncate"), kMaxDataSize);
  if (has_key(send, "append_hex")) out.append = check_hex(send["append_hex"], ctx.at("append_hex"));
  if (has_key(send, "chop")) out.chop = check_uint(send["chop"], ctx.at("chop"), 1, 1u << 24);
  if (has_key(send, "note")) out.note = check_string(send["note"], ctx.at("note"));
  out.overrides_text = describe_overrides(send);
  check_type_fields(send, ctx, type, &out);
  return out;
}

}  // namespace h2conform::engine::load
