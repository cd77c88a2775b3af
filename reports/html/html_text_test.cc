#include "reports/html/html_text.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reports/html/html_parts.h"

namespace h2conform::reports::html {
namespace {

struct EscapeRow {
  const char* name;
  std::string input;
  std::string expected;
};
class HtmlEscape : public ::testing::TestWithParam<EscapeRow> {};
TEST_P(HtmlEscape, MakesTextSafeForContentAndAttributes) {
  EXPECT_EQ(escape_html(GetParam().input), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, HtmlEscape,
    ::testing::Values(EscapeRow{"plain", "GOAWAY stream=1", "GOAWAY stream=1"},
                      EscapeRow{"markup", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
                      EscapeRow{"quotes", "a\"b'c", "a&quot;b&#39;c"},
                      EscapeRow{"ampersand", "&amp;", "&amp;amp;"},
                      EscapeRow{"c0_controls", std::string("a\x01\x1b[31m\0b", 9), "a\\x01\\x1B[31m\\x00b"},
                      EscapeRow{"tab_and_newline_kept", "a\tb\nc", "a\tb\nc"},
                      EscapeRow{"del", "a\x7f", "a\\x7F"},
                      EscapeRow{"c1_control", "a\xc2\x85", "a\\x85"},
                      EscapeRow{"utf8_kept", "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"},
                      EscapeRow{"invalid_utf8", "\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd"},
                      EscapeRow{"truncated_sequence", "\xe2\x9c", "\xef\xbf\xbd\xef\xbf\xbd"},
                      EscapeRow{"overlong_slash", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
                      EscapeRow{"surrogate", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HtmlSanitize, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(sanitize_utf8("a<b\xf0\x9f\x98\x80"), "a<b\xf0\x9f\x98\x80");
  EXPECT_EQ(sanitize_utf8("a\xf5\x80"), "a\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(HtmlBreakableId, BreaksOnlyAfterSlashesAndEscapesTheParts) {
  EXPECT_EQ(breakable_id("rfc9113/5.1.1/decreasing-stream-id"), "rfc9113/<wbr>5.1.1/<wbr>decreasing-stream-id");
  EXPECT_EQ(breakable_id("a<b/c&d"), "a&lt;b/<wbr>c&amp;d");
  EXPECT_EQ(breakable_id("plain"), "plain");
}

TEST(HtmlJson, NeverContainsALessThanSign) {
  nlohmann::json value = {{"reason", "</script><!-- <b>"}, {"bad", sanitize_utf8("\xff")}};
  std::string text = json_for_script(value);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(nlohmann::json::parse(text), value);
}

TEST(HtmlJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  nlohmann::json value = {{"raw", std::string("\xff")}};
  EXPECT_NO_THROW(json_for_script(value));
}

struct UrlRow {
  const char* name;
  const char* section;
  const char* url;
};
class RfcSectionUrl : public ::testing::TestWithParam<UrlRow> {};
TEST_P(RfcSectionUrl, LinksTheSectionOnTheRfcEditorSite) {
  EXPECT_EQ(rfc_section_url(GetParam().section), GetParam().url);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, RfcSectionUrl,
    ::testing::Values(UrlRow{"rfc9113", "RFC 9113 6.5", "https://www.rfc-editor.org/rfc/rfc9113.html#section-6.5"},
                      UrlRow{"subsection", "RFC 9113 6.5.2", "https://www.rfc-editor.org/rfc/rfc9113.html#section-6.5.2"},
                      UrlRow{"rfc7541_appendix", "RFC 7541 C.3", "https://www.rfc-editor.org/rfc/rfc7541.html#appendix-C.3"},
                      UrlRow{"rfc9218", "RFC 9218 7.1", "https://www.rfc-editor.org/rfc/rfc9218.html#section-7.1"},
                      UrlRow{"rfc8441", "RFC 8441 3", "https://www.rfc-editor.org/rfc/rfc8441.html#section-3"},
                      UrlRow{"rfc7540", "RFC 7540 5.3", "https://www.rfc-editor.org/rfc/rfc7540.html#section-5.3"},
                      UrlRow{"whole_document", "RFC 9218", "https://www.rfc-editor.org/rfc/rfc9218.html"},
                      UrlRow{"not_an_rfc", "generic", ""},
                      UrlRow{"injection", "RFC 9113 6.5\"><script>", ""},
                      UrlRow{"letters_in_number", "RFC 91x3 6.5", ""},
                      UrlRow{"empty", "", ""}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(CaseAnchor, KeepsSlugsAndPercentEncodesTheRest) {
  EXPECT_EQ(case_anchor("rfc9113/6.8/goaway-on-stream"), "case-rfc9113/6.8/goaway-on-stream");
  EXPECT_EQ(case_anchor("a b\"<", "t2-"), "t2-case-a%20b%22%3C");
}

TEST(HtmlFormat, FormatsDurations) {
  EXPECT_EQ(format_duration(12.5), "12.5 ms");
  EXPECT_EQ(format_duration(1234.5), "1.23 s");
  EXPECT_EQ(format_ms(1.25), "1.250");
}

TEST(HtmlTemplate, FillsEverySlotAndKeepsUnclosedBraces) {
  std::ostringstream out;
  fill_template("<p>{{a}}-{{b}}</p>{{x", {{"a", [](std::ostream& o) { o << "1"; }},
                                          {"b", [](std::ostream& o) { o << "2"; }}},
                out);
  EXPECT_EQ(out.str(), "<p>1-2</p>{{x");
}

}  // namespace
}  // namespace h2conform::reports::html
