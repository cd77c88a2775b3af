// Making result text safe for an HTML page, and the small formatting helpers the pages share.
//
// Contract: pure functions. Everything in a RunResult may hold bytes a target sent, so every
// string that reaches the page goes through escape_html (element content and quoted attribute
// values alike) or json_for_script (inline data). Output is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace h2conform::reports::html {

// Valid UTF-8 out: each byte of an invalid sequence becomes U+FFFD.
std::string sanitize_utf8(std::string_view text);

// & < > " ' as character references; C0 control bytes (except tab and line feed), DEL and the
// C1 controls as visible text "\xNN"; invalid UTF-8 as U+FFFD.
std::string escape_html(std::string_view text);

// escape_html(id) with <wbr> after each '/': a narrow column breaks a case id between its
// parts ("rfc9113/" "5.1.1/" "decreasing-stream-id"), never inside one.
std::string breakable_id(std::string_view id);

// JSON text that can sit inside <script type="application/json">: every '<' is written as
// \u003c, so neither "</script" nor "<!--" can appear. Strings must be valid UTF-8 (use
// sanitize_utf8); invalid bytes are replaced rather than thrown on.
std::string json_for_script(const nlohmann::json& value);

// "RFC 9113 6.5" -> "https://www.rfc-editor.org/rfc/rfc9113.html#section-6.5";
// "RFC 7541 C.3" -> "...rfc7541.html#appendix-C.3"; "RFC 9218" -> the document.
// "" when the text does not name an RFC in that form.
std::string rfc_section_url(std::string_view section);

// The fragment id of a case's detail block: prefix + "case-" + id, with every byte outside
// [A-Za-z0-9._/:-] percent-encoded, so it is safe in an id attribute and in a URL as it is.
std::string case_anchor(std::string_view id, std::string_view prefix = "");

// "12.5 ms", "1.23 s".
std::string format_duration(double ms);
// "1.250" (three decimals, for transcript timestamps).
std::string format_ms(double ms);

}  // namespace h2conform::reports::html
