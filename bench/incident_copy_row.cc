#include "bench/incident_copy_row.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sitrep/v1/common.pb.h"

namespace sitrep::bench {
namespace {

constexpr int16_t kColumns = 23;

// The enum value's name minus the prefix its UNSPECIFIED value carries ("TLP_AMBER" is
// "AMBER"), the text the server's enum columns hold (storage/sql_types.h).
template <class Enum>
std::string EnumText(Enum value) {
  const google::protobuf::EnumDescriptor& descriptor = *google::protobuf::GetEnumDescriptor<Enum>();
  const std::string& unspecified = descriptor.FindValueByNumber(0)->name();
  const size_t prefix = unspecified.size() - std::string_view("UNSPECIFIED").size();
  const google::protobuf::EnumValueDescriptor* found =
      descriptor.FindValueByNumber(static_cast<int>(value));
  return found == nullptr ? std::to_string(static_cast<int>(value)) : found->name().substr(prefix);
}

std::chrono::microseconds Micros(const google::protobuf::Timestamp& timestamp) {
  return std::chrono::seconds(timestamp.seconds()) +
         std::chrono::microseconds(timestamp.nanos() / 1000);
}

std::string IndicatorsJson(const v1::Incident& incident) {
  nlohmann::json indicators = nlohmann::json::array();
  for (const v1::Indicator& indicator : incident.indicators()) {
    indicators.push_back({{"type", EnumText(indicator.type())}, {"value", indicator.value()}});
  }
  return indicators.dump();
}

std::string AttributesJson(const v1::Incident& incident) {
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [key, value] : incident.attributes()) attributes[key] = value;
  return attributes.dump();
}

}  // namespace

void AppendIncidentRow(BinaryCopyEncoder& encoder, const v1::Incident& incident,
                       int64_t reporter_id, std::string_view external_id_suffix,
                       std::chrono::system_clock::time_point received) {
  const auto received_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(received.time_since_epoch());
  encoder.BeginRow(kColumns)
      .Int4(static_cast<int32_t>(incident.province()))
      .Int8(reporter_id)
      .Text(incident.external_id() + std::string(external_id_suffix));
  if (incident.enterprise_id() == 0) {
    encoder.Null();
  } else {
    encoder.Int8(incident.enterprise_id());
  }
  encoder.Text(incident.sector())
      .Text(EnumText(incident.category()))
      .Text(incident.subcategory())
      .Int2(static_cast<int16_t>(incident.severity()))
      .Text(EnumText(incident.tlp()))
      .Text(EnumText(incident.sharing_scope() == v1::SHARING_SCOPE_UNSPECIFIED
                         ? v1::SHARING_SCOPE_PROVINCE
                         : incident.sharing_scope()))
      .Text(EnumText(incident.status() == v1::INCIDENT_STATUS_UNSPECIFIED
                         ? v1::INCIDENT_STATUS_REPORTED
                         : incident.status()));
  if (incident.has_occur_time()) {
    encoder.Timestamptz(Micros(incident.occur_time()));
  } else {
    encoder.Null();
  }
  if (incident.has_detect_time()) {
    encoder.Timestamptz(Micros(incident.detect_time()));
  } else {
    encoder.Null();
  }
  encoder.Timestamptz(received_micros)
      .Timestamptz(received_micros)
      .Int8(reporter_id)
      .Text(incident.title())
      .Text(incident.description())
      .Jsonb(IndicatorsJson(incident))
      .TextArray(incident.cve_ids())
      .TextArray(incident.attack_technique_ids())
      .TextArray(incident.affected_asset_keys())
      .Jsonb(AttributesJson(incident));
}

}  // namespace sitrep::bench
