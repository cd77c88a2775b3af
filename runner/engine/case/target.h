// The target as cases see it: the default request's authority, scheme, method, path, extra
// headers and body (the run's flags), substituted for "$authority", "$path" and the like.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace h2conform::engine {

struct Target {
  std::string authority;               // ":authority" of the default request, "host:port"
  std::string scheme = "https";
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // --header, added to requests
  std::string body;                    // --body, sent by cases that need a request body
  std::uint32_t max_header_length = 4000;  // h2spec's --max-header-length
};

}  // namespace h2conform::engine
