#pragma once

// What the fuzz targets share: the seeded reference codes, a fixed "now" (so a replayed input
// behaves as it did when found), the callers a record may come from, and the server's checks
// run on whatever a decoder produced.

#include <google/protobuf/stubs/logging.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collector/provinces.h"
#include "domain/principal.h"
#include "domain/record_checks.h"
#include "domain/reference_codes.h"

namespace sitrep::fuzz {

// 2025-06-15T14:13:20Z, as in the unit tests.
inline constexpr std::chrono::system_clock::time_point kNow{std::chrono::seconds(1'750'000'000)};

// The provinces and sectors storage/migrations/0001_reference.sql seeds.
inline const ReferenceCodes& Codes() {
  static const ReferenceCodes codes = [] {
    ReferenceCodes seeded;
    for (const collector::ProvinceName& province : collector::kProvinceNames) {
      seeded.provinces[province.code].set_name_en(std::string(province.en));
    }
    for (const char* sector : {"automobile",
                               "electronic_information",
                               "aerospace",
                               "energy",
                               "petrochemical",
                               "steel",
                               "nonferrous",
                               "building_materials",
                               "general_equipment",
                               "special_equipment",
                               "electrical_equipment",
                               "instruments",
                               "rail_transit",
                               "shipbuilding",
                               "pharmaceutical",
                               "food",
                               "textiles",
                               "light_industry",
                               "gas_supply",
                               "water",
                               "telecom",
                               "internet_platform",
                               "other"}) {
      seeded.sectors[sector].set_name_en(sector);
    }
    return seeded;
  }();
  return codes;
}

// Silences protobuf's log line for every string that is not UTF-8: hostile input is full of
// them, and the parse result already says so. Called first by every target.
inline void QuietProtobuf() {
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
}

// One caller of each kind that writes records, picked by `selector`, so the permission check
// sees national, provincial and enterprise callers.
inline Principal Caller(uint64_t selector) {
  Principal caller;
  caller.id = 7;
  switch (selector % 3) {
    case 0:
      caller.role = v1::ROLE_COLLECTOR;  // national collector
      break;
    case 1:
      caller.role = v1::ROLE_COLLECTOR;
      caller.province = 440000;
      break;
    default:
      caller.role = v1::ROLE_ENTERPRISE;
      caller.province = 440000;
      caller.enterprise_id = 17;
      caller.sector = "energy";
      break;
  }
  return caller;
}

// The server's checks of one record, as Push runs them on every record an importer produced.
inline void CheckRecord(const v1::Record& record) {
  if (record.has_incident()) (void)CheckIncident(record.incident(), Codes(), kNow, "incident");
  if (record.has_asset()) (void)CheckAsset(record.asset(), Codes(), kNow, "asset");
}

// A broken invariant: abort with a message, so libFuzzer and the replay test both report it.
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace sitrep::fuzz
