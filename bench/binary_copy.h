#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace sitrep::bench {

// PostgreSQL's binary COPY format (`COPY … FROM STDIN (FORMAT binary)`) is the header, then
// rows of length-prefixed big-endian values, then the trailer. Rows may be encoded in pieces
// (one encoder per thread) and sent one after another between one header and one trailer.

// The signature, zero flags and an empty header extension.
[[nodiscard]] std::string_view BinaryCopyHeader();
// The row count -1 that ends the data.
[[nodiscard]] std::string_view BinaryCopyTrailer();

// Encodes rows. Each row starts with BeginRow(columns) and must then get exactly that many
// values, in the COPY's column order; the encoder does not check it (PostgreSQL does).
// Not thread-safe.
class BinaryCopyEncoder final {
 public:
  BinaryCopyEncoder& BeginRow(int16_t columns);
  BinaryCopyEncoder& Null();
  BinaryCopyEncoder& Int2(int16_t value);
  BinaryCopyEncoder& Int4(int32_t value);
  BinaryCopyEncoder& Int8(int64_t value);
  // text, and any other type whose binary form is its UTF-8 bytes.
  BinaryCopyEncoder& Text(std::string_view value);
  // timestamptz from a time since the Unix epoch (PostgreSQL counts from 2000-01-01).
  BinaryCopyEncoder& Timestamptz(std::chrono::microseconds since_unix_epoch);
  // jsonb from JSON text, which PostgreSQL parses and checks.
  BinaryCopyEncoder& Jsonb(std::string_view json);
  // A one-dimensional text[] of `values` (any range of strings; no NULL elements); an empty
  // range gives '{}'.
  template <class Strings>
  BinaryCopyEncoder& TextArray(const Strings& values) {
    const size_t start = BeginTextArray(static_cast<int32_t>(std::size(values)));
    for (const auto& value : values) ArrayElement(value);
    EndTextArray(start);
    return *this;
  }

  // The rows so far.
  [[nodiscard]] const std::string& bytes() const { return bytes_; }
  // Moves the rows out; the encoder starts again empty.
  [[nodiscard]] std::string Take();

 private:
  size_t BeginTextArray(int32_t count);
  void ArrayElement(std::string_view value);
  void EndTextArray(size_t start);
  void Append16(uint16_t value);
  void Append32(uint32_t value);
  void Append64(uint64_t value);

  std::string bytes_;
};

}  // namespace sitrep::bench
