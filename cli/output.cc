#include "cli/output.h"

#include <google/protobuf/util/json_util.h>

#include <stdexcept>

namespace sitrep::cli {

std::string JsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  // Only an out-of-range Timestamp or Duration from the server can fail here.
  if (!status.ok()) throw std::runtime_error("cannot print a reply as JSON: " + status.ToString());
  return json;
}

}  // namespace sitrep::cli
