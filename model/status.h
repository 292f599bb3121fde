#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pgtwin {

// Why an operation failed. Kept coarse: the CLI maps codes to exit codes, the message says
// what and where (a connection name, `file:line:col`, a snapshot path).
enum class StatusCode {
  kOk,
  kInvalidArgument,     // bad user input: URI, flag, regex, spec
  kNotFound,            // missing database, file, object
  kConnectionFailed,    // server unreachable, authentication failed
  kPermissionDenied,    // the server refused an operation
  kCorrupt,             // a snapshot or file that does not parse
  kInternal,            // everything else
};

// The result of a fallible operation: ok, or a code with a one-line message.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {}    // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace pgtwin
