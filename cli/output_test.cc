#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/enum_words.h"
#include "cli/timestamps.h"
#include "sitrep/v1/registry.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

TEST(FormatTimestampTest, PrintsUtcSecondsWithZ) {
  google::protobuf::Timestamp time;
  time.set_seconds(1795593600);  // 2026-11-25 08:00:00 UTC
  time.set_nanos(123);
  EXPECT_EQ(FormatTimestamp(time), "2026-11-25 08:00:00Z");
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp()), "");
}

TEST(JsonLineTest, UsesProtoNamesAndPrintsDefaults) {
  v1::Principal principal;
  principal.set_id(3);
  principal.set_name("gd-collector");
  principal.set_role(v1::ROLE_COLLECTOR);
  EXPECT_EQ(JsonLine(principal),
            R"({"id":"3","name":"gd-collector","role":"ROLE_COLLECTOR","province":0,)"
            R"("enterprise_id":"0","description":""})");
}

const Columns<v1::Principal> kColumns = {
    {"ID", [](const v1::Principal& p) { return std::to_string(p.id()); }},
    {"NAME", [](const v1::Principal& p) { return p.name(); }},
    {"ROLE", [](const v1::Principal& p) { return EnumWord(p.role()); }},
};

TEST(PrintRecordsTest, TableForPeopleJsonLinesForScripts) {
  std::vector<v1::Principal> principals(2);
  principals[0].set_id(1);
  principals[0].set_name("root");
  principals[0].set_role(v1::ROLE_ADMIN);
  principals[1].set_id(2);
  principals[1].set_name("guangdong");
  principals[1].set_role(v1::ROLE_PROVINCIAL);

  std::ostringstream table;
  PrintRecords(table, /*json=*/false, kColumns, principals);
  EXPECT_EQ(table.str(),
            "ID  NAME       ROLE\n"
            "1   root       admin\n"
            "2   guangdong  provincial\n");

  std::ostringstream json;
  PrintRecords(json, /*json=*/true, kColumns, principals);
  EXPECT_EQ(json.str(), JsonLine(principals[0]) + "\n" + JsonLine(principals[1]) + "\n");
}

TEST(PrintRecordTest, ListsOneFieldPerLine) {
  v1::Principal principal;
  principal.set_id(9);
  principal.set_name("national");
  principal.set_role(v1::ROLE_NATIONAL);
  std::ostringstream out;
  PrintRecord(out, /*json=*/false, kColumns, principal);
  EXPECT_EQ(out.str(),
            "ID    9\n"
            "NAME  national\n"
            "ROLE  national\n");
}

TEST(PrintRecordTest, AValueWithLineBreaksGoesOnUnderItself) {
  const Columns<v1::Principal> columns = {
      {"NAME", [](const v1::Principal& p) { return p.name(); }},
      {"DESCRIPTION", [](const v1::Principal& p) { return p.description(); }},
  };
  v1::Principal principal;
  principal.set_name("gd");
  principal.set_description("first line\nsecond line\n");
  std::ostringstream out;
  PrintRecord(out, /*json=*/false, columns, principal);
  EXPECT_EQ(out.str(),
            "NAME         gd\n"
            "DESCRIPTION  first line\n"
            "             second line\n");
}

TEST(RecordPrinterTest, HeaderOnceAndBatchesInLine) {
  std::ostringstream out;
  RecordPrinter<v1::Principal> printer(out, /*json=*/false, kColumns, TableStyle{});
  std::vector<v1::Principal> batch(1);
  batch[0].set_id(1);
  batch[0].set_name("guangdong");
  batch[0].set_role(v1::ROLE_PROVINCIAL);
  printer.Print(batch);
  printer.Print(std::vector<v1::Principal>{});  // a heartbeat prints nothing
  batch[0].set_id(22);
  batch[0].set_name("hn");
  batch[0].set_role(v1::ROLE_ADMIN);
  printer.Print(batch);
  printer.PrintHeaderIfEmpty();
  EXPECT_EQ(out.str(),
            "ID  NAME       ROLE\n"
            "1   guangdong  provincial\n"
            "22  hn         admin\n");
}

TEST(RecordPrinterTest, AnEmptyListingCanStillShowItsHeader) {
  std::ostringstream table;
  RecordPrinter<v1::Principal> printer(table, /*json=*/false, kColumns, TableStyle{});
  printer.PrintHeaderIfEmpty();
  EXPECT_EQ(table.str(), "ID  NAME  ROLE\n");

  std::ostringstream json;
  RecordPrinter<v1::Principal> json_printer(json, /*json=*/true, kColumns, TableStyle{});
  json_printer.PrintHeaderIfEmpty();
  EXPECT_EQ(json.str(), "");
}

}  // namespace
}  // namespace sitrep::cli
