#pragma once

#include <string>
#include <vector>

namespace sitrep {

// One wrong field of an input: the answer to bad input is data, never an exception.
struct FieldViolation {
  std::string field;        // path in the request, e.g. "enterprise.credit_code"
  std::string reason;       // stable machine-readable code, e.g. "INVALID_CREDIT_CODE"
  std::string description;  // one human sentence
};

using FieldViolations = std::vector<FieldViolation>;

}  // namespace sitrep
