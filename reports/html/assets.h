// The page template, stylesheet and script, embedded at build time from report.html.in,
// report.css and report.js (see embed_assets.cmake). Static storage, never freed.
#pragma once

#include <string_view>

namespace h2conform::reports::html {

extern const std::string_view kReportTemplate;  // report.html.in: {{slot}} placeholders
extern const std::string_view kReportCss;       // report.css
extern const std::string_view kReportJs;        // report.js

}  // namespace h2conform::reports::html
