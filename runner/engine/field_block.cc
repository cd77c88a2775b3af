// Field blocks we send: the run's default request with changes, exact fields, HPACK
// instructions (valid or not) and verbatim fragments (cases/README.md "send").
#include "runner/engine/interpreter_internal.h"
#include "runner/engine/json_values.h"
#include "runner/engine/transcript.h"

namespace h2conform::engine {
namespace {

using FieldList = std::vector<std::pair<std::string, std::string>>;

void set_field(FieldList& fields, const std::string& name, const std::string& value) {
  for (auto& f : fields) {
    if (f.first == name) {
      f.second = value;
      return;
    }
  }
  fields.emplace_back(name, value);
}

FieldList pairs_of(const json& list) {
  FieldList out;
  for (const auto& p : list) out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  return out;
}

// RFC 9113 §8.3.1 request pseudo-header fields, then the run's extra headers.
FieldList request_fields(const json& request, const Target& target) {
  FieldList fields = {{":method", request.value("method", target.method)},
                      {":scheme", request.value("scheme", target.scheme)},
                      {":authority", request.value("authority", target.authority)},
                      {":path", request.value("path", target.path)}};
  for (const auto& h : target.headers) fields.push_back(h);
  if (request.contains("remove")) {
    for (const auto& name : request["remove"]) {
      std::erase_if(fields, [&](const auto& f) { return f.first == name.get<std::string>(); });
    }
  }
  if (request.contains("set")) {
    for (const auto& [name, value] : pairs_of(request["set"])) set_field(fields, name, value);
  }
  if (request.contains("add")) {
    for (auto& f : pairs_of(request["add"])) fields.push_back(std::move(f));
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
bool write_instruction(const json& in, hpack::BlockWriter& w) {
  const auto indexing = indexing_of(in.value("indexing", json()), hpack::Indexing::kWithout);
  const bool huffman = in.value("huffman", false);
  if (in.contains("indexed")) {
    w.indexed(in["indexed"].get<std::uint64_t>());
  } else if (in.contains("literal")) {
    w.literal(in["literal"][0].get<std::string>(), in["literal"][1].get<std::string>(), indexing, huffman);
  } else if (in.contains("literal_name_index")) {
    w.literal_indexed_name(in["literal_name_index"].get<std::uint64_t>(), in["value"].get<std::string>(),
                           indexing, huffman);
  } else if (in.contains("size_update")) {
    w.size_update(in["size_update"].get<std::uint64_t>());
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
  return true;
}

}  // namespace

BuiltBlock build_field_block(const json& send, const Target& target, hpack::Encoder& encoder) {
  BuiltBlock out;
  try {
    FieldList fields;
    if (send.contains("request")) {
      fields = request_fields(send["request"], target);
    } else if (send.contains("fields")) {
      fields = pairs_of(send["fields"]);
    } else if (send.contains("block")) {
      hpack::BlockWriter writer(&encoder.table());
      for (const auto& in : send["block"]) {
        if (!write_instruction(in, writer)) {
          out.error = "bad HPACK instruction " + in.dump();
          return out;
        }
      }
      out.fragment = writer.take();
      out.summary = "block: " + std::to_string(send["block"].size()) + " instructions";
      return out;
    } else if (send.contains("fragment_hex")) {
      auto bytes = parse_hex(send["fragment_hex"].get<std::string>());
      if (!bytes) out.error = "bad fragment_hex";
      out.fragment = bytes.value_or(hpack::Bytes{});
      out.summary = "fragment: " + std::to_string(out.fragment.size()) + " octets verbatim";
      return out;
    } else {
      return out;
    }
    hpack::HeaderList list;
    for (const auto& [name, value] : fields) list.push_back({name, value, false});
    out.fragment = encoder.encode(list, encoder_options(send.value("encoding", json())));
    out.summary = "fields: " + summarize_fields(fields);
  } catch (const json::exception& e) {
    out.error = std::string("field block: ") + e.what();
  }
  return out;
}

}  // namespace h2conform::engine
