#include "bench/incident_copy_row.h"

#include "storage/copy_text.h"
#include "storage/incident_columns.h"

namespace sitrep::bench {
namespace {

constexpr int16_t kColumns = storage::kFirstReportColumnCount + 3;

// The row storage::AppendFirstReport writes, as binary COPY values of the incidents columns'
// types: the integer widths of the columns, times as timestamptz, JSON as jsonb.
class BinaryIncidentRow final {
 public:
  explicit BinaryIncidentRow(BinaryCopyEncoder& encoder) : encoder_(encoder) {}

  BinaryIncidentRow& Int(int16_t value) {
    encoder_.Int2(value);
    return *this;
  }
  BinaryIncidentRow& Int(int32_t value) {
    encoder_.Int4(value);
    return *this;
  }
  BinaryIncidentRow& Int(int64_t value) {
    encoder_.Int8(value);
    return *this;
  }
  BinaryIncidentRow& IdOrNull(int64_t value) { return value == 0 ? Null() : Int(value); }
  BinaryIncidentRow& Text(std::string_view value) {
    encoder_.Text(value);
    return *this;
  }
  BinaryIncidentRow& Null() {
    encoder_.Null();
    return *this;
  }
  BinaryIncidentRow& Micros(int64_t micros) {
    encoder_.Timestamptz(std::chrono::microseconds(micros));
    return *this;
  }
  BinaryIncidentRow& Json(std::string_view json) {
    encoder_.Jsonb(json);
    return *this;
  }
  BinaryIncidentRow& TextArray(const google::protobuf::RepeatedPtrField<std::string>& values) {
    encoder_.TextArray(values);
    return *this;
  }
  BinaryIncidentRow& JsonObject(const google::protobuf::Map<std::string, std::string>& values) {
    return Json(storage::JsonObjectText(values));
  }

 private:
  BinaryCopyEncoder& encoder_;
};

}  // namespace

std::string IncidentCopyColumns() {
  return std::string(storage::kFirstReportColumns) + ", received_at, updated_at, amended_by";
}

void AppendIncidentRow(BinaryCopyEncoder& encoder, const v1::Incident& incident,
                       int64_t reporter_id, std::string_view external_id_suffix,
                       std::chrono::system_clock::time_point received) {
  encoder.BeginRow(kColumns);
  BinaryIncidentRow row(encoder);
  storage::AppendFirstReport(row, incident, reporter_id,
                             incident.external_id() + std::string(external_id_suffix));
  const auto received_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(received.time_since_epoch());
  encoder.Timestamptz(received_micros).Timestamptz(received_micros).Int8(reporter_id);
}

}  // namespace sitrep::bench
