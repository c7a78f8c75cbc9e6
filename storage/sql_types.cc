#include "storage/sql_types.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace sitrep::storage {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;

std::string_view Prefix(const google::protobuf::EnumDescriptor& descriptor) {
  const google::protobuf::EnumValueDescriptor* zero = descriptor.FindValueByNumber(0);
  constexpr std::string_view kUnspecified = "UNSPECIFIED";
  if (zero == nullptr) return {};
  const std::string_view name = zero->name();
  if (!name.ends_with(kUnspecified)) return {};
  return name.substr(0, name.size() - kUnspecified.size());
}

}  // namespace

int64_t ToMicros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * kMicrosPerSecond + timestamp.nanos() / 1000;
}

int64_t ToMicros(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

google::protobuf::Timestamp TimestampFromMicros(int64_t micros) {
  // Floor division: a time before 1970 has negative seconds and non-negative nanos.
  int64_t seconds = micros / kMicrosPerSecond;
  int64_t remainder = micros % kMicrosPerSecond;
  if (remainder < 0) {
    --seconds;
    remainder += kMicrosPerSecond;
  }
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(remainder * 1000));
  return timestamp;
}

google::protobuf::Timestamp TimestampFromMicros(const pqxx::field& micros) {
  return TimestampFromMicros(micros.as<int64_t>());
}

std::string EnumText(const google::protobuf::EnumDescriptor& descriptor, int value) {
  const google::protobuf::EnumValueDescriptor* found = descriptor.FindValueByNumber(value);
  if (found == nullptr) return std::to_string(value);  // fails the column's CHECK, as it should
  const std::string& name = found->name();
  return name.substr(Prefix(descriptor).size());
}

void ReadJsonArray(const pqxx::field& json, google::protobuf::RepeatedPtrField<std::string>* out) {
  if (json.is_null()) return;
  const nlohmann::json array = nlohmann::json::parse(json.c_str());
  out->Reserve(out->size() + static_cast<int>(array.size()));
  for (const nlohmann::json& element : array) out->Add(element.get<std::string>());
}

void ReadJsonArray(const pqxx::field& json, google::protobuf::RepeatedField<int64_t>* out) {
  if (json.is_null()) return;
  const nlohmann::json array = nlohmann::json::parse(json.c_str());
  out->Reserve(out->size() + static_cast<int>(array.size()));
  for (const nlohmann::json& element : array) out->Add(element.get<int64_t>());
}

int EnumValue(const google::protobuf::EnumDescriptor& descriptor, std::string_view text) {
  const google::protobuf::EnumValueDescriptor* found =
      descriptor.FindValueByName(std::string(Prefix(descriptor)) + std::string(text));
  return found == nullptr ? 0 : found->number();
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

}  // namespace sitrep::storage
