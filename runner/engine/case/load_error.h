// The loader's one exception: a case file problem, with the file and the JSON pointer.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace h2conform::engine {

// A case file problem: "cases/rfc9113/6.8-x.json: /steps/2/send/type: unknown frame type "FOO"";
// without a JSON pointer, "FILE: message".
class LoadError : public std::runtime_error {
 public:
  LoadError(std::string file, std::string pointer, std::string message)
      : std::runtime_error(file + ": " + (pointer.empty() ? "" : pointer + ": ") + message),
        file_(std::move(file)), pointer_(std::move(pointer)), message_(std::move(message)) {}
  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_, pointer_, message_;
};

}  // namespace h2conform::engine
