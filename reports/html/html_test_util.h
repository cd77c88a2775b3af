// Helpers for the HTML tests: rendering to a string and picking pages apart without a parser.
#pragma once

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/html/html_report.h"

namespace h2conform::reports::html::testing {

inline std::string render_report(const engine::RunResult& run, const BaselineDiff* diff = nullptr) {
  std::ostringstream out;
  render_html(run, out, diff);
  return out.str();
}

inline std::string render_matrix(const std::vector<engine::RunResult>& runs) {
  std::ostringstream out;
  render_matrix_html(runs, out);
  return out.str();
}

inline int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// The text from the first `begin` to the next `end` after it ("" when absent).
inline std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  auto from = text.find(begin);
  if (from == std::string::npos) return "";
  auto to = text.find(end, from);
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

// The inline JSON data of a page, parsed.
inline nlohmann::json page_data(const std::string& page) {
  std::string open = "<script type=\"application/json\" id=\"h2c-data\">";
  std::string text = between(page, open, "</script>").substr(open.size());
  return nlohmann::json::parse(text);
}

// Every value of src= and href= attributes, and url(...) in styles.
inline std::vector<std::string> referenced_urls(const std::string& page) {
  std::vector<std::string> urls;
  std::regex attr(R"re((?:src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*))re", std::regex::icase);
  for (std::sregex_iterator it(page.begin(), page.end(), attr), end; it != end; ++it) urls.push_back((*it)[1]);
  std::regex css(R"re(url\(\s*["']?([^"')]*))re", std::regex::icase);
  for (std::sregex_iterator it(page.begin(), page.end(), css), end; it != end; ++it) urls.push_back((*it)[1]);
  return urls;
}

}  // namespace h2conform::reports::html::testing
