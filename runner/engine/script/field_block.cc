// Field blocks we send: the run's default request with changes, exact fields, HPACK
// instructions (valid or not) and verbatim fragments (cases/README.md "send").
#include <algorithm>

#include "runner/engine/script/interpreter_internal.h"
#include "runner/engine/connection/transcript.h"

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

  std::string value(const FieldValue& v) {
    std::string out;
    ValueResult r = resolve_field_value(v, target, scope, &out);
    if (!r.ok() && status.ok()) status = r;
    return out;
  }
  // The target's value unless the case gives one.
  std::string value_or_target(const std::optional<FieldValue>& v, const std::string& target_value) {
    return v ? value(*v) : target_value;
  }
  std::uint64_t number(const Number& v) {
    ValueResult r = evaluate_value(v, scope, 0xffffffffu);
    if (!r.ok() && status.ok()) status = r;
    return static_cast<std::uint64_t>(r.value);
  }
  FieldList pairs(const FieldPairs& list) {
    FieldList out;
    for (const auto& [name, v] : list) out.emplace_back(name, value(v));
    return out;
  }
};

// RFC 9113 §8.3.1 request pseudo-header fields, then the run's extra headers.
FieldList request_fields(const RequestBlock& request, Resolver& r) {
  const Target& t = r.target;
  FieldList fields = {{":method", r.value_or_target(request.method, t.method)},
                      {":scheme", r.value_or_target(request.scheme, t.scheme)},
                      {":authority", r.value_or_target(request.authority, t.authority)},
                      {":path", r.value_or_target(request.path, t.path)}};
  for (const auto& h : t.headers) fields.push_back(h);
  for (const auto& name : request.remove) {
    std::erase_if(fields, [&](const auto& f) { return f.first == name; });
  }
  for (const auto& [name, value] : r.pairs(request.set)) set_field(fields, name, value);
  for (auto& f : r.pairs(request.add)) fields.push_back(std::move(f));
  return fields;
}

// One `block` instruction, written with the dynamic table in step.
struct InstructionWriter {
  hpack::BlockWriter& w;
  Resolver& r;
  void operator()(const IndexedField& in) const { w.indexed(r.number(in.index)); }
  void operator()(const LiteralField& in) const { w.literal(in.name, r.value(in.value), in.indexing, in.huffman); }
  void operator()(const LiteralIndexedName& in) const {
    w.literal_indexed_name(r.number(in.index), r.value(in.value), in.indexing, in.huffman);
  }
  void operator()(const SizeUpdate& in) const { w.size_update(r.number(in.size)); }
  void operator()(const RawOctets& in) const { w.raw(in.bytes); }
  void operator()(const BadHuffman& in) const {
    w.literal_bad_huffman(in.name, in.value, in.pad_bits, in.zero_padding, in.embed_eos);
  }
  void operator()(const OverflowInteger& in) const { w.overflowing_integer(in.first_byte, in.prefix, in.bytes); }
};

BuiltBlock build_instructions(const InstructionBlock& block, hpack::Encoder& encoder, Resolver& r) {
  BuiltBlock out;
  hpack::BlockWriter writer(&encoder.table());
  for (const auto& in : block.instructions) {
    std::visit(InstructionWriter{writer, r}, in);
    if (!r.status.ok()) {
      out.status = r.status;
      return out;
    }
  }
  out.fragment = writer.take();
  out.summary = "block: " + std::to_string(block.instructions.size()) + " instructions";
  return out;
}

BuiltBlock encode_fields(const FieldList& fields, const hpack::EncoderOptions& options, Resolver& r,
                         ConnectionState& state) {
  BuiltBlock out;
  if (!r.status.ok()) {
    out.status = r.status;
    return out;
  }
  hpack::HeaderList list;
  for (const auto& [name, value] : fields) list.push_back({name, value, false});
  out.fragment = state.encoder().encode(list, options);
  out.summary = "fields: " + summarize_fields(fields);
  out.method = method_of(fields);
  for (const auto& [name, value] : fields) {
    if (name != ":status") continue;
    if (value.empty() || value[0] == '1') return out;  // an interim response
    out.final_response = true;
  }
  return out;
}

}  // namespace

ValueResult resolve_field_value(const FieldValue& value, const Target& target, ExpressionScope& scope,
                                std::string* out) {
  switch (value.kind) {
    case FieldValue::Kind::kFill: {  // the loader refuses an empty fill text
      ValueResult size = evaluate_value(value.size, scope, kMaxFieldValueSize);
      if (!size.ok()) return size;
      out->clear();
      while (out->size() < static_cast<std::size_t>(size.value)) out->append(value.text);
      out->resize(static_cast<std::size_t>(size.value));
      return {};
    }
    case FieldValue::Kind::kAuthority: *out = target.authority; return {};
    case FieldValue::Kind::kScheme: *out = target.scheme; return {};
    case FieldValue::Kind::kPath: *out = target.path; return {};
    case FieldValue::Kind::kMethod: *out = target.method; return {};
    case FieldValue::Kind::kText: break;
  }
  *out = value.text;
  return {};
}

BuiltBlock build_field_block(const FieldBlockSpec& block, const Target& target, ConnectionState& state) {
  Resolver r{target, state, {}};
  if (const auto* request = std::get_if<RequestBlock>(&block)) {
    FieldList fields = request_fields(*request, r);
    BuiltBlock out = encode_fields(fields, request->encoding, r, state);
    // The method alone does not make a request vary: its control request keeps it.
    out.varies = request->scheme || request->authority || request->path || !request->remove.empty() ||
                 !request->set.empty() || !request->add.empty();
    return out;
  }
  if (const auto* list = std::get_if<FieldsBlock>(&block)) {
    FieldList fields = r.pairs(list->fields);
    BuiltBlock out = encode_fields(fields, list->encoding, r, state);
    out.varies = true;
    return out;
  }
  if (const auto* instructions = std::get_if<InstructionBlock>(&block)) {
    BuiltBlock out = build_instructions(*instructions, state.encoder(), r);
    out.varies = true;
    return out;
  }
  BuiltBlock out;
  if (const auto* fragment = std::get_if<FragmentBlock>(&block)) {
    out.fragment = fragment->bytes;
    out.summary = "fragment: " + std::to_string(out.fragment.size()) + " octets verbatim";
    out.varies = true;
  }
  return out;  // NoBlock: an empty fragment
}

namespace {

// An RFC 9110 method token in the conventional upper case ("GET", "OPTIONS").
bool plain_method(const std::string& m) {
  return !m.empty() && m.size() <= 32 &&
         std::all_of(m.begin(), m.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '-' || c == '_'; });
}

}  // namespace

BuiltBlock build_control_request(const std::string& judged_method, const Target& target, ConnectionState& state) {
  Resolver r{target, state, {}};
  const std::string method = plain_method(judged_method) ? judged_method : target.method;
  FieldList fields;
  if (method == "CONNECT") {
    fields = {{":method", method}, {":authority", target.authority}};
  } else {
    fields = request_fields(RequestBlock{}, r);
    set_field(fields, ":method", method);
  }
  return encode_fields(fields, hpack::EncoderOptions{}, r, state);
}

}  // namespace h2conform::engine
