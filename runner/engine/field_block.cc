// Field blocks we send: the run's default request with changes, exact fields, HPACK
// instructions (valid or not) and verbatim fragments (cases/README.md "send").
#include "runner/engine/interpreter_internal.h"
#include "runner/engine/json_values.h"
#include "runner/engine/transcript.h"

namespace h2conform::engine {
namespace {

using FieldList = std::vector<std::pair<std::string, std::string>>;

std::string method_of(const FieldList& fields) {
  for (const auto& [name, value] : fields) {
    if (name == ":method") return value;
  }
  return {};
}

void set_field(FieldList& fields, const std::string& name, const std::string& value) {
  for (auto& f : fields) {
    if (f.first == name) {
      f.second = value;
      return;
    }
  }
  fields.emplace_back(name, value);
}

// Field values and numbers are resolved against the target and the connection model; the
// first problem (an expression that skips or fails) is kept.
struct Resolver {
  const Target& target;
  ExpressionScope& scope;
  ValueResult status;

  std::string value(const json& v) {
    std::string out;
    ValueResult r = resolve_field_value(v, target, scope, &out);
    if (!r.ok() && status.ok()) status = r;
    return out;
  }
  std::uint64_t number(const json& v) {
    ValueResult r = evaluate_value(v, scope, 0xffffffffu);
    if (!r.ok() && status.ok()) status = r;
    return static_cast<std::uint64_t>(r.value);
  }
  FieldList pairs(const json& list) {
    FieldList out;
    for (const auto& p : list) out.emplace_back(p[0].get<std::string>(), value(p[1]));
    return out;
  }
};

// RFC 9113 §8.3.1 request pseudo-header fields, then the run's extra headers.
FieldList request_fields(const json& request, Resolver& r) {
  const Target& t = r.target;
  FieldList fields = {{":method", r.value(request.value("method", json(t.method)))},
                      {":scheme", r.value(request.value("scheme", json(t.scheme)))},
                      {":authority", r.value(request.value("authority", json(t.authority)))},
                      {":path", r.value(request.value("path", json(t.path)))}};
  for (const auto& h : t.headers) fields.push_back(h);
  if (request.contains("remove")) {
    for (const auto& name : request["remove"]) {
      std::erase_if(fields, [&](const auto& f) { return f.first == name.get<std::string>(); });
    }
  }
  if (request.contains("set")) {
    for (const auto& [name, value] : r.pairs(request["set"])) set_field(fields, name, value);
  }
  if (request.contains("add")) {
    for (auto& f : r.pairs(request["add"])) fields.push_back(std::move(f));
  }
  return fields;
}

hpack::Indexing indexing_of(const json& value, hpack::Indexing fallback) {
  if (!value.is_string()) return fallback;
  const std::string& s = value.get_ref<const std::string&>();
  if (s == "incremental") return hpack::Indexing::kIncremental;
  if (s == "never") return hpack::Indexing::kNever;
  return hpack::Indexing::kWithout;
}

hpack::EncoderOptions encoder_options(const json& encoding) {
  hpack::EncoderOptions options;
  if (!encoding.is_object()) return options;
  std::string huffman = encoding.value("huffman", "auto");
  options.huffman = huffman == "always"  ? hpack::HuffmanMode::kAlways
                    : huffman == "never" ? hpack::HuffmanMode::kNever
                                         : hpack::HuffmanMode::kAuto;
  if (encoding.contains("indexing")) options.indexing = indexing_of(encoding["indexing"], options.indexing);
  return options;
}

std::uint8_t first_byte_of(const json& value) {
  if (value.is_string()) return static_cast<std::uint8_t>(parse_number(value.get<std::string>()).value_or(0x80));
  return value.get<std::uint8_t>();
}

// One `block` instruction; false when it is not well-formed (the loader should have refused it).
bool write_instruction(const json& in, hpack::BlockWriter& w, Resolver& r) {
  const auto indexing = indexing_of(in.value("indexing", json()), hpack::Indexing::kWithout);
  const bool huffman = in.value("huffman", false);
  if (in.contains("indexed")) {
    w.indexed(r.number(in["indexed"]));
  } else if (in.contains("literal")) {
    w.literal(in["literal"][0].get<std::string>(), r.value(in["literal"][1]), indexing, huffman);
  } else if (in.contains("literal_name_index")) {
    w.literal_indexed_name(r.number(in["literal_name_index"]), r.value(in["value"]), indexing, huffman);
  } else if (in.contains("size_update")) {
    w.size_update(r.number(in["size_update"]));
  } else if (in.contains("hex")) {
    auto bytes = parse_hex(in["hex"].get<std::string>());
    if (!bytes) return false;
    w.raw(*bytes);
  } else if (in.contains("bad_huffman")) {
    const json& nv = in["bad_huffman"];
    w.literal_bad_huffman(nv[0].get<std::string>(), nv[1].get<std::string>(), in.value("pad_bits", 8),
                          in.value("zero_padding", false), in.value("embed_eos", false));
  } else if (in.contains("overflow_integer")) {
    const json& o = in["overflow_integer"];
    w.overflowing_integer(first_byte_of(o.value("first_byte", json(0x80))), o["prefix"].get<int>(),
                          o["bytes"].get<int>());
  } else {
    return false;
  }
  return r.status.ok();
}

BuiltBlock build_instructions(const json& block, hpack::Encoder& encoder, Resolver& r) {
  BuiltBlock out;
  hpack::BlockWriter writer(&encoder.table());
  for (const auto& in : block) {
    if (!write_instruction(in, writer, r)) {
      out.status = r.status.ok() ? ValueResult{ValueResult::Status::kError, 0, "bad HPACK instruction " + in.dump()}
                                 : r.status;
      return out;
    }
  }
  out.fragment = writer.take();
  out.summary = "block: " + std::to_string(block.size()) + " instructions";
  return out;
}

}  // namespace

ValueResult resolve_field_value(const json& value, const Target& target, ExpressionScope& scope,
                                std::string* out) {
  if (value.is_object()) {  // {"fill": "text", "size": N}
    ValueResult size = evaluate_value(value["size"], scope, kMaxFieldValueSize);
    if (!size.ok()) return size;
    const std::string& fill = value["fill"].get_ref<const std::string&>();
    out->clear();
    if (fill.empty()) return {ValueResult::Status::kError, 0, "fill text is empty"};
    while (out->size() < static_cast<std::size_t>(size.value)) out->append(fill);
    out->resize(static_cast<std::size_t>(size.value));
    return {};
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text == "$authority") *out = target.authority;
  else if (text == "$scheme") *out = target.scheme;
  else if (text == "$path") *out = target.path;
  else if (text == "$method") *out = target.method;
  else *out = text;
  return {};
}

BuiltBlock build_field_block(const json& send, const Target& target, ConnectionState& state) {
  BuiltBlock out;
  Resolver r{target, state, {}};
  try {
    FieldList fields;
    if (send.contains("request")) {
      fields = request_fields(send["request"], r);
    } else if (send.contains("fields")) {
      fields = r.pairs(send["fields"]);
    } else if (send.contains("block")) {
      return build_instructions(send["block"], state.encoder(), r);
    } else if (send.contains("fragment_hex")) {
      auto bytes = parse_hex(send["fragment_hex"].get<std::string>());
      if (!bytes) out.status = {ValueResult::Status::kError, 0, "bad fragment_hex"};
      out.fragment = bytes.value_or(hpack::Bytes{});
      out.summary = "fragment: " + std::to_string(out.fragment.size()) + " octets verbatim";
      return out;
    } else {
      return out;
    }
    if (!r.status.ok()) {
      out.status = r.status;
      return out;
    }
    hpack::HeaderList list;
    for (const auto& [name, value] : fields) list.push_back({name, value, false});
    out.fragment = state.encoder().encode(list, encoder_options(send.value("encoding", json())));
    out.summary = "fields: " + summarize_fields(fields);
    out.method = method_of(fields);
  } catch (const json::exception& e) {
    out.status = {ValueResult::Status::kError, 0, std::string("field block: ") + e.what()};
  }
  return out;
}

}  // namespace h2conform::engine
