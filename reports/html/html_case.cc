// A case's detail block and its wire transcript (html_parts.h).
#include <algorithm>
#include <sstream>

#include "reports/html/html_parts.h"
#include "reports/html/html_text.h"

namespace h2conform::reports::html {
namespace {

using engine::Direction;

constexpr std::size_t kFrameHeaderHex = 18;  // 9 octets (RFC 9113 §4.1)
constexpr std::size_t kMaxHexShown = 512;    // 256 bytes of a frame on the page

void write_fact(const char* name, const std::string& escaped_value, std::ostream& out) {
  out << "<dt>" << name << "</dt><dd>" << escaped_value << "</dd>\n";
}

std::string join_escaped(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + escape_html(item);
  return out;
}

// "sentence  RFC 9113 §6.8" with the section linked to the RFC Editor's page.
std::string requirement_html(const engine::CaseResult& c) {
  std::string html = escape_html(c.requirement.empty() ? "(no requirement text)" : c.requirement);
  std::string url = rfc_section_url(c.section);
  std::string label = escape_html(c.section.empty() ? "no section" : c.section);
  if (url.empty()) return html + " <span class=\"sec\">(" + label + ")</span>";
  return html + " <a class=\"rfc\" href=\"" + escape_html(url) + "\" rel=\"noopener\">" + label + "</a>";
}

std::string verdict_html(const engine::CaseResult& c) {
  std::ostringstream out;
  write_verdict_badge(c.verdict, out);
  if (c.generic_code) out << " <span class=\"badge generic\">generic code</span>";
  if (!c.reason.empty()) out << " " << escape_html(c.reason);
  return out.str();
}

void write_facts(const engine::CaseResult& c, const CaseChange* change, std::ostream& out) {
  out << "<dl class=\"facts\">\n";
  write_fact("Requirement", requirement_html(c), out);
  write_fact("Level", escape_html(c.level), out);
  write_fact("Action", escape_html(c.action), out);
  write_fact("Verdict", verdict_html(c), out);
  if (change) {
    std::ostringstream badge;
    write_change_badge(*change, badge);
    write_fact("Since baseline", badge.str(), out);
  }
  write_fact("Duration", format_duration(c.duration_ms), out);
  write_fact("Closed by", escape_html(c.closed_by.empty() ? "nobody (still open)" : c.closed_by), out);
  if (c.client) {  // client testing: the program the case ran, and how it ended
    if (!c.client->command.empty()) write_fact("Client", "<code>" + escape_html(c.client->command) + "</code>", out);
    write_fact("Client exit", escape_html("the client " + engine::describe_client_exit(*c.client)), out);
    if (!c.client->stderr_tail.empty()) {
      write_fact("Client stderr", "<pre class=\"client-stderr\">" + escape_html(c.client->stderr_tail) + "</pre>", out);
    }
  }
  if (!c.requirement_ids.empty()) write_fact("Requirement rows", join_escaped(c.requirement_ids), out);
  if (!c.h2spec_ids.empty()) write_fact("h2spec", join_escaped(c.h2spec_ids), out);
  out << "</dl>\n";
}

void write_versus(const engine::CaseResult& c, std::ostream& out) {
  out << "<div class=\"versus\"><div class=\"expected\"><h4>Expected</h4>"
      << escape_html(c.expected.empty() ? "-" : c.expected) << "</div><div class=\"observed v-"
      << engine::to_string(c.verdict) << "\"><h4>Observed</h4>"
      << escape_html(c.observed.empty() ? "-" : c.observed) << "</div></div>\n";
}

const char* direction_arrow(Direction direction) {
  switch (direction) {
    case Direction::kSent: return "\u2192";      // right arrow: we sent
    case Direction::kReceived: return "\u2190";  // left arrow: we received
    case Direction::kEvent: return "\u2022";     // bullet
  }
  return "";
}

const char* direction_class(Direction direction) {
  switch (direction) {
    case Direction::kSent: return "tx";
    case Direction::kReceived: return "rx";
    case Direction::kEvent: return "ev";
  }
  return "ev";
}

// The summary without the words that repeat the frame's columns ("HEADERS stream=1 len=26"),
// leaving the decoded payload fields.
std::string payload_fields(const engine::TranscriptEntry& e) {
  std::string_view text = e.summary;
  auto drop = [&](const std::string& word) {
    if (text.substr(0, word.size()) != word) return;
    if (text.size() != word.size() && text[word.size()] != ' ') return;
    text.remove_prefix(std::min(text.size(), word.size() + 1));
  };
  drop(e.frame_type);
  drop("stream=" + std::to_string(e.stream_id));
  drop("flags=" + e.flags);
  drop("len=" + std::to_string(e.length));
  return std::string(text);
}

// Raw bytes with the 9-octet frame header set apart from the payload, at most
// kMaxHexShown characters (the results file keeps what the engine captured).
std::string raw_html(const engine::TranscriptEntry& e) {
  std::string hex = e.raw_hex.substr(0, kMaxHexShown);
  if (e.direction != Direction::kEvent && hex.size() > kFrameHeaderHex) hex.insert(kFrameHeaderHex, " ");
  std::string html = escape_html(hex);
  if (e.raw_truncated || e.raw_hex.size() > kMaxHexShown)
    html += " \u2026 (first " + std::to_string(std::min(e.raw_hex.size(), kMaxHexShown) / 2) + " bytes)";
  return html;
}

// One row per entry. Inner </td> end tags are left out, as HTML allows (optional tags), which
// keeps pages with thousands of frames a fifth smaller.
void write_entry(const engine::TranscriptEntry& e, std::ostream& out) {
  out << "<tr class=\"" << direction_class(e.direction) << "\"><td>" << format_ms(e.t_ms) << "<td>"
      << direction_arrow(e.direction);
  if (e.direction == Direction::kEvent) {
    out << "<td colspan=\"5\">" << escape_html(e.event.empty() ? e.summary : e.event);
  } else {
    out << "<td>" << escape_html(e.frame_type) << "<td>" << e.stream_id << "<td>" << escape_html(e.flags)
        << "<td>" << e.length << "<td>" << escape_html(payload_fields(e));
  }
  if (!e.raw_hex.empty()) out << "<code class=\"raw\">" << raw_html(e) << "</code>";
  out << "</td></tr>\n";
}

}  // namespace

void write_transcript(const std::vector<engine::TranscriptEntry>& transcript, int serial,
                      std::ostream& out) {
  out << "<h3>Wire transcript (" << transcript.size() << (transcript.size() == 1 ? " entry" : " entries")
      << ")</h3>\n";
  if (transcript.empty()) {
    out << "<p class=\"empty\">Nothing was sent or received.</p>\n";
    return;
  }
  out << "<input type=\"checkbox\" class=\"rawtoggle\" id=\"raw-" << serial << "\"><label for=\"raw-"
      << serial << "\">Show raw bytes</label>\n<table class=\"wire\">\n<thead><tr><th>t (ms)</th>"
      << "<th title=\"\u2192 sent, \u2190 received\">dir</th><th>frame</th><th>stream</th><th>flags</th>"
      << "<th>length</th><th>payload fields</th></tr></thead>\n<tbody>\n";
  for (const auto& e : transcript) write_entry(e, out);
  out << "</tbody>\n</table>\n";
}

void write_case_detail(const engine::CaseResult& c, std::string_view anchor_prefix,
                       const CaseChange* change, int serial, std::ostream& out) {
  out << "<details class=\"case v-" << engine::to_string(c.verdict) << "\" id=\""
      << case_anchor(c.id, anchor_prefix) << "\">\n<summary>";
  write_verdict_badge(c.verdict, out);
  if (change) write_change_badge(*change, out);
  out << "<code>" << escape_html(c.id) << "</code><span class=\"sec\">" << escape_html(c.section)
      << " &#183; " << escape_html(c.level) << "</span></summary>\n<div class=\"case-body\">\n";
  write_facts(c, change, out);
  write_versus(c, out);
  write_transcript(c.transcript, serial, out);
  out << "</div>\n</details>\n";
}

}  // namespace h2conform::reports::html
