#include "collector/record_preflight.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "collector/spool.h"
#include "collector/utf8_text.h"
#include "vulns/csaf.h"

namespace sitrep::collector {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The path of the first string field of `message` (maps and nested messages included) that
// is not UTF-8, or nullopt.
std::optional<std::string> FindInvalidUtf8(const Message& message, const std::string& prefix) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = prefix + "." + field->name();
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      std::string scratch;  // GetStringReference copies into it only when it must
      if (!field->is_repeated()) {
        if (FirstInvalidUtf8(reflection.GetStringReference(message, field, &scratch))) return path;
        continue;
      }
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        if (FirstInvalidUtf8(reflection.GetRepeatedStringReference(message, field, i, &scratch))) {
          return path + "[" + std::to_string(i) + "]";
        }
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!field->is_repeated()) {
        if (auto found = FindInvalidUtf8(reflection.GetMessage(message, field), path)) return found;
        continue;
      }
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        // A map entry's key and value are its fields 1 and 2; the path names the map.
        const std::string item = field->is_map() ? path : path + "[" + std::to_string(i) + "]";
        if (auto found = FindInvalidUtf8(reflection.GetRepeatedMessage(message, field, i), item)) {
          return field->is_map() ? path : found;
        }
      }
    }
  }
  return std::nullopt;
}

const Message& BodyOf(const v1::Record& record) {
  if (record.has_incident()) return record.incident();
  if (record.has_asset()) return record.asset();
  return record.advisory();
}

// The first problem vulns::ParseCsaf finds, in the server's words (ingest/advisory_checks.cc).
std::optional<LocalRejection> CheckCsafDocument(const v1::Advisory& advisory) {
  if (advisory.csaf_document().empty()) return std::nullopt;  // a stub: the server's to judge
  const vulns::CsafParseResult parsed = vulns::ParseCsaf(advisory.csaf_document());
  if (parsed.problems.empty()) return std::nullopt;
  const vulns::CsafProblem& first = parsed.problems.front();
  std::string message = vulns::DescribeProblem(first) + ".";
  if (parsed.problems.size() > 1) {
    message += " " + std::to_string(parsed.problems.size() - 1) + " more problem(s) follow.";
  }
  return LocalRejection{"csaf_document" + first.path, vulns::CsafReasonCode(first.rule), message};
}

}  // namespace

std::optional<LocalRejection> PreflightCheck(const v1::Record& record) {
  if (record.kind_case() == v1::Record::KIND_NOT_SET) {
    return LocalRejection{"", "NO_RECORD",
                          "the record is neither an incident, an asset nor an advisory."};
  }
  const Message& body = BodyOf(record);
  const std::string kind = record.has_incident() ? "incident"
                           : record.has_asset()  ? "asset"
                                                 : "advisory";
  if (const std::optional<std::string> field = FindInvalidUtf8(body, kind)) {
    return LocalRejection{*field, "INVALID_UTF8", *field + " is not valid UTF-8."};
  }
  if (record.ByteSizeLong() > kMaxSpoolRecordBytes) {
    return LocalRejection{kind, "RECORD_TOO_LARGE",
                          "the record is larger than " + std::to_string(kMaxSpoolRecordBytes) +
                              " bytes serialized; no batch can carry it."};
  }
  if (record.has_advisory()) return CheckCsafDocument(record.advisory());
  return std::nullopt;
}

}  // namespace sitrep::collector
