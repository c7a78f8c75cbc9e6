// The sitrep binary's notice commands against an in-process server: the loop of issue 5 run by
// people at a terminal (and by scripts with --json): issue, list, ack, forward, feedback,
// close, get with history, watch.
#include <gtest/gtest.h>

#include <fstream>

#include "domain/page_token.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/cli_runner.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class CliNoticesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    plant_ = RegisterEnterprise(440000);
    national_ = TokenFile("national", TokenFor(v1::ROLE_NATIONAL));
    guangdong_ = TokenFile("guangdong", TokenFor(v1::ROLE_PROVINCIAL, 440000));
    beijing_ = TokenFile("beijing", TokenFor(v1::ROLE_PROVINCIAL, 110000));
    plant_secret_ = TokenFor(v1::ROLE_ENTERPRISE, 0, plant_.id());
    plant_token_ = TokenFile("plant", plant_secret_);
  }

  std::filesystem::path TokenFile(const std::string& name, const std::string& token) {
    const std::filesystem::path file = data_dir_ / (name + ".token");
    std::ofstream(file) << token << "\n";
    return file;
  }

  // Runs `sitrep --server <this server> --token-file <token_file> <args>` with stdout a pipe
  // (so: no colours, no cutting).
  CliRun Sitrep(const std::filesystem::path& token_file, const std::string& args,
                const std::string& prefix = "") {
    return RunSitrep(server_->port(), token_file, args, data_dir_, prefix);
  }

  // Issues with `args` as `token_file` and returns the new notice's id.
  std::string Issue(const std::filesystem::path& token_file, const std::string& args) {
    const CliRun issued = Sitrep(token_file, "notices issue --json " + args);
    EXPECT_EQ(issued.exit_code, 0) << issued.err;
    const std::vector<std::string> ids = Values(issued.out, "id");
    return ids.empty() ? "" : ids.front();
  }

  v1::Enterprise plant_;
  std::string plant_secret_;
  std::filesystem::path national_, guangdong_, beijing_, plant_token_;
};

TEST_F(CliNoticesTest, TheLoopRunsFromTheCommandLine) {
  const std::string bulletin =
      Issue(national_,
            "--title '能源行业勒索软件预警' --priority II --province 广东 --cve "
            "CVE-2021-44228");
  ASSERT_FALSE(bulletin.empty());

  // Guangdong's inbox, as a table for people and as JSON lines; Beijing's is empty.
  const CliRun table = Sitrep(guangdong_, "notices list");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  ASSERT_EQ(Lines(table.out), 2) << table.out;
  EXPECT_EQ(table.out.rfind("ID  ISSUED", 0), 0u) << table.out;
  for (const char* cell : {"national", "II", "广东", "delivered", "能源行业勒索软件预警"}) {
    EXPECT_NE(table.out.find(cell), std::string::npos) << cell << " in " << table.out;
  }
  const CliRun json = Sitrep(guangdong_, "notices list --json");
  EXPECT_EQ(Lines(json.out), 1) << json.out;
  EXPECT_EQ(Values(json.out, "id").front(), bulletin);
  const CliRun beijing = Sitrep(beijing_, "notices list --json");
  ASSERT_EQ(beijing.exit_code, 0) << beijing.err;
  EXPECT_EQ(beijing.out, "");
  const CliRun hidden = Sitrep(beijing_, "notices get " + bulletin);
  EXPECT_EQ(hidden.exit_code, 1);
  EXPECT_EQ(Lines(hidden.err), 1) << hidden.err;

  const CliRun acknowledged = Sitrep(guangdong_, "notices ack " + bulletin);
  ASSERT_EQ(acknowledged.exit_code, 0) << acknowledged.err;
  EXPECT_NE(acknowledged.out.find("广东: acknowledged"), std::string::npos) << acknowledged.out;

  // Guangdong forwards it to its enterprise, which answers after acknowledging; both name an
  // incident the plant reported (references must name records the caller may see).
  v1::ReportIncidentRequest report;
  *report.mutable_incident() = SampleIncident("hmi-1", 440000, clock_.Now());
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(v1::ReportService::NewStub(channel_)
                  ->ReportIncident(As(plant_secret_).get(), report, &reported)
                  .ok());
  const std::string incident = std::to_string(reported.incident().id());
  const std::string forwarded =
      Issue(guangdong_, "--title '请排查 HMI 暴露面' --priority III --within 4h --enterprise " +
                            std::to_string(plant_.id()) + " --incident " + incident);
  ASSERT_FALSE(forwarded.empty());
  const std::string answer = "notices feedback " + forwarded +
                             " --text '已下线暴露的 HMI' --outcome mitigated --incident " +
                             incident;
  const CliRun early = Sitrep(plant_token_, answer);
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_NE(early.err.find("acknowledge"), std::string::npos) << early.err;
  ASSERT_EQ(Sitrep(plant_token_, "notices ack " + forwarded).exit_code, 0);
  const CliRun answered = Sitrep(plant_token_, answer);
  ASSERT_EQ(answered.exit_code, 0) << answered.err;
  EXPECT_NE(answered.out.find("feedback_submitted, mitigated — 已下线暴露的 HMI"),
            std::string::npos)
      << answered.out;

  // Only the issuer closes; the history shows every step.
  EXPECT_EQ(Sitrep(plant_token_, "notices close " + forwarded).exit_code, 1);
  const CliRun closed = Sitrep(guangdong_, "notices close " + forwarded + " --remark 处置完毕");
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  const CliRun shown = Sitrep(plant_token_, "notices get " + forwarded);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* step : {"delivered by principal", "acknowledged by principal",
                           "feedback_submitted by principal", "closed by principal"}) {
    EXPECT_NE(shown.out.find(step), std::string::npos) << step << " in " << shown.out;
  }
  EXPECT_NE(shown.out.find("closed by principal"), std::string::npos);
  EXPECT_NE(shown.out.find(": 处置完毕"), std::string::npos) << shown.out;
  const CliRun outbox = Sitrep(guangdong_, "notices list --outbox --json --state closed");
  EXPECT_EQ(Values(outbox.out, "id").front(), forwarded);
}

TEST_F(CliNoticesTest, OverdueAndPriorityFiltersReachTheServer) {
  const std::string urgent = Issue(national_, "--title urgent --priority I --province 440000");
  Issue(national_, "--title routine --priority IV --province 440000");
  const CliRun high = Sitrep(guangdong_, "notices list --json --min-priority II");
  ASSERT_EQ(high.exit_code, 0) << high.err;
  EXPECT_EQ(Lines(high.out), 1) << high.out;
  EXPECT_EQ(Sitrep(guangdong_, "notices list --json --overdue").out, "");
  clock_.Advance(std::chrono::minutes(90));
  const CliRun overdue = Sitrep(guangdong_, "notices list --json --overdue");
  EXPECT_EQ(Lines(overdue.out), 1) << overdue.out;
  EXPECT_EQ(Values(overdue.out, "id").front(), urgent);
  const CliRun table = Sitrep(guangdong_, "notices list --overdue");
  EXPECT_NE(table.out.find("yes"), std::string::npos) << table.out;
}

TEST_F(CliNoticesTest, WatchReplaysTheInboxAndEndsCleanlyOnSigint) {
  const std::string first = Issue(national_, "--title first --priority III --province 广东");
  const std::string second = Issue(national_, "--title second --priority III --province 广东");
  Issue(national_, "--title elsewhere --priority III --province 北京");
  const std::string from_start = EncodeFeedCursor("notification-inbox", FeedPosition{});
  // timeout sends SIGINT, as Ctrl-C would; --preserve-status keeps sitrep's exit code.
  // --foreground: one SIGINT to sitrep only; without it timeout signals its process group too,
  // and that second SIGINT could land after sitrep had handled the first and restored the default.
  const CliRun watched = Sitrep(guangdong_, "notices watch --json --cursor '" + from_start + "'",
                                "timeout --foreground --preserve-status -s INT 6 ");
  EXPECT_EQ(watched.exit_code, 0) << watched.err;
  EXPECT_EQ(watched.err, "");
  EXPECT_EQ(Lines(watched.out), 2) << watched.out;
  const std::vector<std::string> titles = Values(watched.out, "title");
  EXPECT_EQ(titles, (std::vector<std::string>{"first", "second"}));
}

TEST_F(CliNoticesTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Sitrep(national_, "notices issue --title x --priority II").exit_code, 2);
  EXPECT_EQ(Sitrep(national_, "notices issue --title x --priority V --province 广东").exit_code, 2);
  const CliRun unknown = Sitrep(national_, "notices issue --title x --priority I --province 火星");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown province"), std::string::npos) << unknown.err;
  EXPECT_EQ(Sitrep(national_, "notices feedback 1 --text x --outcome maybe").exit_code, 2);
}

}  // namespace
}  // namespace sitrep::testing
