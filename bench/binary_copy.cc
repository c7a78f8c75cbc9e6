#include "bench/binary_copy.h"

namespace sitrep::bench {
namespace {

// "PGCOPY\n\377\r\n\0", then the 32-bit flags and header-extension length, both 0.
constexpr std::string_view kHeader{"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19};
constexpr std::string_view kTrailer{"\377\377", 2};
constexpr uint32_t kTextOid = 25;
constexpr uint8_t kJsonbVersion = 1;
// 946684800 s: 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps.
constexpr std::chrono::microseconds kPostgresEpoch{946'684'800'000'000};

}  // namespace

std::string_view BinaryCopyHeader() { return kHeader; }

std::string_view BinaryCopyTrailer() { return kTrailer; }

BinaryCopyEncoder& BinaryCopyEncoder::BeginRow(int16_t columns) {
  Append16(static_cast<uint16_t>(columns));
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Null() {
  Append32(static_cast<uint32_t>(-1));
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Int2(int16_t value) {
  Append32(2);
  Append16(static_cast<uint16_t>(value));
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Int4(int32_t value) {
  Append32(4);
  Append32(static_cast<uint32_t>(value));
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Int8(int64_t value) {
  Append32(8);
  Append64(static_cast<uint64_t>(value));
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Text(std::string_view value) {
  Append32(static_cast<uint32_t>(value.size()));
  bytes_.append(value);
  return *this;
}

BinaryCopyEncoder& BinaryCopyEncoder::Timestamptz(std::chrono::microseconds since_unix_epoch) {
  return Int8((since_unix_epoch - kPostgresEpoch).count());
}

BinaryCopyEncoder& BinaryCopyEncoder::Jsonb(std::string_view json) {
  Append32(static_cast<uint32_t>(json.size() + 1));
  bytes_.push_back(static_cast<char>(kJsonbVersion));
  bytes_.append(json);
  return *this;
}

size_t BinaryCopyEncoder::BeginTextArray(int32_t count) {
  const size_t start = bytes_.size();
  Append32(0);  // the field length, patched by EndTextArray
  // array_recv accepts zero dimensions (and then no dimension entries) for an empty array.
  Append32(count == 0 ? 0 : 1);  // dimensions
  Append32(0);                   // has NULL elements: no
  Append32(kTextOid);
  if (count > 0) {
    Append32(static_cast<uint32_t>(count));
    Append32(1);  // lower bound
  }
  return start;
}

void BinaryCopyEncoder::ArrayElement(std::string_view value) { Text(value); }

void BinaryCopyEncoder::EndTextArray(size_t start) {
  const auto length = static_cast<uint32_t>(bytes_.size() - start - 4);
  for (int i = 0; i < 4; ++i) {
    bytes_[start + i] = static_cast<char>(length >> (24 - 8 * i));
  }
}

std::string BinaryCopyEncoder::Take() {
  std::string rows = std::move(bytes_);
  bytes_.clear();
  return rows;
}

void BinaryCopyEncoder::Append16(uint16_t value) {
  bytes_.push_back(static_cast<char>(value >> 8));
  bytes_.push_back(static_cast<char>(value));
}

void BinaryCopyEncoder::Append32(uint32_t value) {
  Append16(static_cast<uint16_t>(value >> 16));
  Append16(static_cast<uint16_t>(value));
}

void BinaryCopyEncoder::Append64(uint64_t value) {
  Append32(static_cast<uint32_t>(value >> 32));
  Append32(static_cast<uint32_t>(value));
}

}  // namespace sitrep::bench
