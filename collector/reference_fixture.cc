#include "collector/reference_fixture.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "collector/csv_reader.h"
#include "domain/record_checks.h"
#include "tests/support/test_data.h"

namespace sitrep::collector {

ReferenceCodes ReferenceCodesFromCsv() {
  const std::filesystem::path folder = test::TestDataDir() / "reference";
  std::ifstream provinces(folder / "provinces.csv", std::ios::binary);
  std::ifstream sectors(folder / "sectors.csv", std::ios::binary);
  if (!provinces || !sectors) {
    throw std::runtime_error("cannot read provinces.csv and sectors.csv in " + folder.string());
  }
  ReferenceCodes codes;
  std::vector<std::string> row;
  std::string error;
  CsvReader province_rows(provinces);
  static_cast<void>(province_rows.Next(row, error));  // header: code,name_zh,name_en,kind
  while (province_rows.Next(row, error) == CsvReader::Result::kRecord) {
    if (row.size() < 3) continue;
    uint32_t code = 0;
    std::from_chars(row[0].data(), row[0].data() + row[0].size(), code);
    v1::Province& province = codes.provinces[code];
    province.set_code(code);
    province.set_name_zh(row[1]);
    province.set_name_en(row[2]);
  }
  CsvReader sector_rows(sectors);
  static_cast<void>(sector_rows.Next(row, error));  // header: code,name_zh,name_en,...
  while (sector_rows.Next(row, error) == CsvReader::Result::kRecord) {
    if (row.size() < 3) continue;
    v1::Sector& sector = codes.sectors[row[0]];
    sector.set_code(row[0]);
    sector.set_name_zh(row[1]);
    sector.set_name_en(row[2]);
  }
  return codes;
}

std::vector<std::string> ViolationsOf(const v1::Record& record, const ReferenceCodes& codes) {
  const auto now = std::chrono::system_clock::now();
  const FieldViolations violations = record.has_incident()
                                         ? CheckIncident(record.incident(), codes, now)
                                         : CheckAsset(record.asset(), codes, now);
  const std::string& key =
      record.has_incident() ? record.incident().external_id() : record.asset().asset_key();
  std::vector<std::string> lines;
  for (const FieldViolation& violation : violations) {
    lines.push_back(key + ": " + violation.field + " " + violation.reason);
  }
  return lines;
}

}  // namespace sitrep::collector
