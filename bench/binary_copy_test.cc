#include "bench/binary_copy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sitrep::bench {
namespace {

using std::string_literals::operator""s;

// The expected bytes are what PostgreSQL 15 itself writes for
//   COPY (SELECT 440000::int4, 7::int8, 'ab'::text, NULL::int8, 3::int2,
//                '2024-01-02 03:04:05.678901+00'::timestamptz, '[{"a": 1}]'::jsonb,
//                ARRAY['T0831','x']::text[], '{}'::text[]) TO STDOUT (FORMAT binary)
TEST(BinaryCopyEncoderTest, EncodesARowAsPostgresWritesIt) {
  const std::vector<std::string> techniques = {"T0831", "x"};
  const std::vector<std::string> none;
  BinaryCopyEncoder encoder;
  encoder.BeginRow(9)
      .Int4(440000)
      .Int8(7)
      .Text("ab")
      .Null()
      .Int2(3)
      .Timestamptz(std::chrono::microseconds(1'704'164'645'678'901))
      .Jsonb(R"([{"a": 1}])")
      .TextArray(techniques)
      .TextArray(none);
  const std::string stream =
      std::string(BinaryCopyHeader()) + encoder.Take() + std::string(BinaryCopyTrailer());

  const std::string expected =
      "PGCOPY\n\xff\r\n\0"s
      "\0\0\0\0"s
      "\0\0\0\0"s  // signature, flags, extension
      "\0\x09"s    // 9 columns
      "\0\0\0\x04"
      "\x00\x06\xb6\xc0"s  // int4 440000
      "\0\0\0\x08"
      "\0\0\0\0\0\0\0\x07"s  // int8 7
      "\0\0\0\x02"
      "ab"s                // text
      "\xff\xff\xff\xff"s  // NULL
      "\0\0\0\x02"
      "\0\x03"s  // int2 3
      "\0\0\0\x08"
      "\x00\x02\xb0\xec\x85\x20\x4f\x35"s  // microseconds since 2000-01-01
      "\0\0\0\x0b"
      "\x01"
      R"([{"a": 1}])"s  // jsonb version 1, then the text
      "\0\0\0\x22"s     // text[] of 34 bytes:
      "\0\0\0\x01"
      "\0\0\0\0"
      "\0\0\0\x19"s  //   1 dimension, no NULLs, text
      "\0\0\0\x02"
      "\0\0\0\x01"s  //   2 elements from index 1
      "\0\0\0\x05"
      "T0831"
      "\0\0\0\x01"
      "x"s  //   the elements
      "\0\0\0\x0c"
      "\0\0\0\0"
      "\0\0\0\0"
      "\0\0\0\x19"s  // '{}': no dimensions
      "\xff\xff"s;   // trailer
  EXPECT_EQ(stream, expected);
}

TEST(BinaryCopyEncoderTest, TimestampsBeforePostgresEpochAreNegative) {
  BinaryCopyEncoder encoder;
  encoder.Timestamptz(
      std::chrono::microseconds(946'684'799'999'999));  // 1999-12-31T23:59:59.999999Z
  EXPECT_EQ(encoder.bytes(), "\0\0\0\x08\xff\xff\xff\xff\xff\xff\xff\xff"s);
}

TEST(BinaryCopyEncoderTest, TakeEmptiesTheEncoder) {
  BinaryCopyEncoder encoder;
  encoder.BeginRow(1).Int2(-2);
  EXPECT_EQ(encoder.Take(), "\0\x01\0\0\0\x02\xff\xfe"s);
  EXPECT_EQ(encoder.bytes(), "");
}

}  // namespace
}  // namespace sitrep::bench
