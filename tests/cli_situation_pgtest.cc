// The sitrep binary's situation report against an in-process server (issue #5, part 5): the
// totals a national and a provincial regulator read in the report equal what was pushed and
// each may see, --province narrows them, --hours counts in hours, --json is one parsable line.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "domain/time_convert.h"
#include "sitrep/v1/feed.pb.h"
#include "tests/cli_runner.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

using std::chrono::hours;

// The line of `text` that starts with `prefix`, or "" when none does.
std::string LineStarting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The lines of `text` from the one equal to `title` to the next empty line.
std::string Section(const std::string& text, const std::string& title) {
  const std::size_t start = text.find(title + "\n");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find("\n\n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
}

class CliSituationTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    national_token_file_ = WriteToken("national.token", TokenFor(v1::ROLE_NATIONAL));
    guangdong_token_file_ = WriteToken("guangdong.token", TokenFor(v1::ROLE_PROVINCIAL, 440000));

    // Guangdong: two severity III incidents 2 hours ago and one severity I 3 days ago.
    // Guangxi: two severity IV a day ago and one 40 days ago, in the 30 days before the last
    // 30. Each shared with its own province only, so the provinces do not see each other's.
    const std::string guangdong = TokenFor(v1::ROLE_COLLECTOR, 440000);
    const std::string guangxi = TokenFor(v1::ROLE_COLLECTOR, 450000);
    Push(guangdong,
         {Incident("gd-1", 440000, v1::SEVERITY_III, hours(2)),
          Incident("gd-2", 440000, v1::SEVERITY_III, hours(2)),
          Incident("gd-3", 440000, v1::SEVERITY_I, hours(72))},
         {SampleAsset("plc-1", 440000, clock_.Now())});
    Push(guangxi,
         {Incident("gx-1", 450000, v1::SEVERITY_IV, hours(24)),
          Incident("gx-2", 450000, v1::SEVERITY_IV, hours(24)),
          Incident("gx-old", 450000, v1::SEVERITY_IV, hours(24 * 40))},
         {SampleAsset("plc-2", 450000, clock_.Now())});
  }

  std::filesystem::path WriteToken(const std::string& name, const std::string& token) {
    const std::filesystem::path path = data_dir_ / name;
    std::ofstream(path) << token << "\n";
    return path;
  }

  v1::Incident Incident(const std::string& external_id, uint32_t province, v1::Severity severity,
                        hours ago) {
    v1::Incident incident = SampleIncident(external_id, province, clock_.Now());
    incident.set_severity(severity);
    incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
    *incident.mutable_occur_time() = ToTimestamp(clock_.Now() - ago);
    *incident.mutable_detect_time() = ToTimestamp(clock_.Now() - ago + std::chrono::minutes(5));
    return incident;
  }

  void Push(const std::string& token, const std::vector<v1::Incident>& incidents,
            const std::vector<v1::Asset>& assets) {
    v1::PushBatch batch;
    batch.set_sequence(1);
    for (const v1::Incident& incident : incidents) *batch.add_incidents() = incident;
    for (const v1::Asset& asset : assets) *batch.add_assets() = asset;
    const PushResult result = PushAll(*channel_, token, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.size(), 1u);
    ASSERT_EQ(result.acks[0].accepted(), incidents.size() + assets.size())
        << result.acks[0].ShortDebugString();
  }

  // Runs `sitrep --server <this server> --token-file <token_file> <args>` with stdout a pipe.
  CliRun Sitrep(const std::string& args, const std::filesystem::path& token_file) {
    return RunSitrep(server_->port(), token_file, args, data_dir_);
  }

  std::filesystem::path national_token_file_;
  std::filesystem::path guangdong_token_file_;
};

TEST_F(CliSituationTest, TheNationalCentreSeesEveryProvince) {
  const CliRun run = Sitrep("situation", national_token_file_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(LineStarting(run.out, "Scope"), "Scope: every province you may see");
  EXPECT_EQ(LineStarting(run.out, "Incidents:"),
            "Incidents: 5, against 1 in the 30 days before  ↑ +400%");
  EXPECT_EQ(LineStarting(run.out, "I ").rfind("I                 1         0  ↑ new", 0), 0u)
      << run.out;
  EXPECT_EQ(LineStarting(run.out, "IV ").rfind("IV                2         1  ↑ +100%", 0), 0u)
      << run.out;
  const std::string provinces = Section(run.out, "Incidents by province");
  EXPECT_EQ(LineStarting(provinces, "广东")
                .rfind("广东              3  1   0    2   0         0  ↑ new", 0),
            0u)
      << run.out;
  EXPECT_EQ(LineStarting(provinces, "广西")
                .rfind("广西              2  0   0    0   2         1  ↑ +100%", 0),
            0u)
      << run.out;
  EXPECT_NE(LineStarting(run.out, "energy 能源").find("  5  1   0    2   2         1"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(LineStarting(run.out, "Exposed assets").rfind("Exposed assets: 2 on the Internet", 0),
            0u)
      << run.out;
  EXPECT_EQ(LineStarting(run.out, "modbus").rfind("modbus    Schneider Electric       2", 0), 0u)
      << run.out;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos);  // piped: no colour
}

TEST_F(CliSituationTest, AProvinceSeesOnlyWhatItMay) {
  const CliRun run = Sitrep("situation", guangdong_token_file_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(LineStarting(run.out, "Incidents:"),
            "Incidents: 3, against 0 in the 30 days before  ↑ new");
  const std::string provinces = Section(run.out, "Incidents by province");
  EXPECT_NE(LineStarting(provinces, "广东"), "") << run.out;
  EXPECT_EQ(LineStarting(provinces, "广西"), "") << run.out;
  EXPECT_EQ(LineStarting(run.out, "Exposed assets").rfind("Exposed assets: 1 on the Internet", 0),
            0u)
      << run.out;
}

TEST_F(CliSituationTest, ProvinceNarrowsTheNationalView) {
  for (const char* province : {"Guangxi", "广西", "450000"}) {
    const CliRun run =
        Sitrep(std::string("situation --province ") + province, national_token_file_);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(LineStarting(run.out, "Scope"), "Scope: 450000 广西壮族自治区 Guangxi") << province;
    EXPECT_EQ(LineStarting(run.out, "Incidents:"),
              "Incidents: 2, against 1 in the 30 days before  ↑ +100%")
        << province;
  }
  const CliRun both = Sitrep("situation --province 广东,guangxi", national_token_file_);
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(LineStarting(both.out, "Incidents:"),
            "Incidents: 5, against 1 in the 30 days before  ↑ +400%");
}

TEST_F(CliSituationTest, DaysAndHoursSetTheRange) {
  // The last 2 days: Guangdong's two incidents of 2 hours ago, against the one of 3 days ago.
  const CliRun days = Sitrep("situation --days 2 --province guangdong", national_token_file_);
  ASSERT_EQ(days.exit_code, 0) << days.err;
  EXPECT_NE(LineStarting(days.out, "Situation").find(": 2 days in day buckets"), std::string::npos)
      << days.out;
  const CliRun hourly =
      Sitrep("situation --days 2 --hours --province guangdong", national_token_file_);
  ASSERT_EQ(hourly.exit_code, 0) << hourly.err;
  EXPECT_NE(LineStarting(hourly.out, "Situation").find(": 2 days in hour buckets"),
            std::string::npos)
      << hourly.out;
  EXPECT_EQ(LineStarting(hourly.out, "Incidents:"),
            "Incidents: 2, against 1 in the 2 days before  ↑ +100%");
  EXPECT_NE(hourly.out.find("Incidents per hour\n"), std::string::npos) << hourly.out;
}

TEST_F(CliSituationTest, JsonIsTheReplyOnOneLine) {
  const CliRun run = Sitrep("situation --json", national_token_file_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
  v1::Situation situation;
  const auto status = google::protobuf::util::JsonStringToMessage(run.out, &situation);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(situation.total_incidents(), 5);
  EXPECT_EQ(situation.previous_period_total_incidents(), 1);
  EXPECT_EQ(situation.exposed_assets(), 2);
  EXPECT_EQ(situation.bucket(), v1::BUCKET_DAY);
  EXPECT_EQ(
      situation.time_range().end_time().seconds() - situation.time_range().start_time().seconds(),
      30 * 86400);

  const CliRun provincial = Sitrep("situation --json", guangdong_token_file_);
  ASSERT_EQ(provincial.exit_code, 0) << provincial.err;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(provincial.out, &situation).ok());
  EXPECT_EQ(situation.total_incidents(), 3);
}

TEST_F(CliSituationTest, WrongFlagsAreUsageErrors) {
  const CliRun unknown = Sitrep("situation --province Atlantis", national_token_file_);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "sitrep: --province: unknown province 'Atlantis'; give its code or name, e.g. "
            "440000, Guangdong or 广东\n");
  const CliRun too_many_hours = Sitrep("situation --hours --days 40", national_token_file_);
  EXPECT_EQ(too_many_hours.exit_code, 2);
  EXPECT_EQ(too_many_hours.err,
            "sitrep: --hours allows --days up to 31; leave out --hours for day buckets\n");
  const CliRun zero_days = Sitrep("situation --days 0", national_token_file_);
  EXPECT_EQ(zero_days.exit_code, 2);
  EXPECT_EQ(zero_days.out, "");
}

}  // namespace
}  // namespace sitrep::testing
