#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "domain/field_violation.h"

namespace sitrep {

// The expected ways a request can fail, decided by the domain layer; server/ maps each to a
// gRPC status code of the same name.
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kFailedPrecondition,
  kResourceExhausted,
  kUnimplemented,
  kUnavailable,  // this server cannot take the request now (it is stopping); resend later
};

struct Error {
  ErrorCode code;
  std::string message;         // one sentence for the client
  FieldViolations violations;  // for kInvalidArgument
};

// A value or the Error that prevented it. Expected outcomes are values, not exceptions.
template <class T>
class Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Outcome(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  [[nodiscard]] T& value() { return std::get<T>(state_); }
  [[nodiscard]] const T& value() const { return std::get<T>(state_); }
  [[nodiscard]] const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

inline Error InvalidArgument(FieldViolations violations) {
  std::string message = violations.empty() ? "invalid request" : violations.front().description;
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(violations)};
}

inline Error NotFound(std::string message) {
  return Error{ErrorCode::kNotFound, std::move(message), {}};
}

inline Error PermissionDenied(std::string message) {
  return Error{ErrorCode::kPermissionDenied, std::move(message), {}};
}

}  // namespace sitrep
