// The sitrep binary's feed commands against an in-process server: incidents and assets listed,
// filtered, shown and followed across runs with a cursor file ("Regulators read the feeds",
// part 5).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/cli_runner.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class CliFeedsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    guangdong_collector_ = TokenFor(v1::ROLE_COLLECTOR, 440000);
    national_token_file_ = data_dir_ / "national.token";
    std::ofstream(national_token_file_) << TokenFor(v1::ROLE_NATIONAL) << "\n";
    cursor_file_ = data_dir_ / "incidents.cursor";
  }

  // Pushes `incidents` and `assets` in one batch as `token` (the Guangdong collector's when
  // empty) and expects every record accepted.
  void Push(const std::vector<v1::Incident>& incidents, const std::vector<v1::Asset>& assets = {},
            const std::string& token = "") {
    v1::PushBatch batch;
    batch.set_sequence(++sequence_);
    for (const v1::Incident& incident : incidents) *batch.add_incidents() = incident;
    for (const v1::Asset& asset : assets) *batch.add_assets() = asset;
    const PushResult result =
        PushAll(*channel_, token.empty() ? guangdong_collector_ : token, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.size(), 1u);
    ASSERT_EQ(result.acks[0].accepted(), incidents.size() + assets.size())
        << result.acks[0].ShortDebugString();
  }

  v1::Incident Incident(const std::string& external_id, uint32_t province = 440000) {
    return SampleIncident(external_id, province, clock_.Now());
  }

  // Runs `sitrep --server <this server> --token-file <national token> <args>` with stdout a
  // pipe (so: no colours, no cutting).
  CliRun Sitrep(const std::string& args, const std::string& prefix = "") {
    return RunSitrep(server_->port(), national_token_file_, args, data_dir_, prefix);
  }

  CliRun Follow() {
    return Sitrep("incidents list --json --page-size 1 --follow '" + cursor_file_.string() + "'");
  }

  std::string guangdong_collector_;
  std::filesystem::path national_token_file_;
  std::filesystem::path cursor_file_;
  uint64_t sequence_ = 0;
};

TEST_F(CliFeedsTest, ListShowsPushedIncidentsAsJsonLinesInCommitOrder) {
  Push({Incident("a"), Incident("b")});
  Push({Incident("c")});
  const CliRun listed = Sitrep("incidents list --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(Lines(listed.out), 3) << listed.out;
  EXPECT_EQ(listed.out.rfind("{", 0), 0u) << listed.out;
  EXPECT_EQ(Values(listed.out, "external_id"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(listed.out.find('\x1b'), std::string::npos);
}

TEST_F(CliFeedsTest, ListShowsATableForPeople) {
  Push({Incident("a")});
  const CliRun listed = Sitrep("incidents list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_EQ(Lines(listed.out), 2) << listed.out;
  EXPECT_EQ(listed.out.rfind("ID  REV  RECEIVED", 0), 0u) << listed.out;
  for (const char* cell : {"广东", "energy", "III", "malware", "reported", "amber",
                           "某热电厂DCS工程师站遭勒索软件加密"}) {
    EXPECT_NE(listed.out.find(cell), std::string::npos) << cell << " in " << listed.out;
  }
  // Piped output is neither coloured nor cut.
  EXPECT_EQ(listed.out.find('\x1b'), std::string::npos);
  EXPECT_NE(listed.out.find("ransomware on a DCS workstation\n"), std::string::npos);
}

TEST_F(CliFeedsTest, FollowPrintsEachIncidentOnceAcrossRuns) {
  Push({Incident("a"), Incident("b")});
  const CliRun first = Follow();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Values(first.out, "external_id"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(ReadText(cursor_file_).empty());

  const CliRun second = Follow();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "");

  Push({Incident("c")});
  const CliRun third = Follow();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(Values(third.out, "external_id"), (std::vector<std::string>{"c"}));
}

TEST_F(CliFeedsTest, FollowWithATablePrintsNothingWhenNothingIsNew) {
  const std::string follow = "incidents list --follow '" + cursor_file_.string() + "'";
  const CliRun empty = Sitrep(follow);
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(empty.out, "");  // cron mails nothing
  Push({Incident("a")});
  const CliRun one = Sitrep(follow);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(Lines(one.out), 2) << one.out;  // the header and the incident
}

TEST_F(CliFeedsTest, AllFollowsEveryPage) {
  Push({Incident("a"), Incident("b"), Incident("c")});
  const CliRun one_page = Sitrep("incidents list --json --page-size 2");
  ASSERT_EQ(one_page.exit_code, 0) << one_page.err;
  EXPECT_EQ(Lines(one_page.out), 2);
  const CliRun all = Sitrep("incidents list --json --page-size 2 --all");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(Values(all.out, "external_id"), (std::vector<std::string>{"a", "b", "c"}));
  // A record's cursor is a page token: listing goes on after it.
  const std::vector<std::string> cursors = Values(all.out, "cursor");
  ASSERT_EQ(cursors.size(), 3u);
  const CliRun after = Sitrep("incidents list --json --page-token '" + cursors[0] + "'");
  EXPECT_EQ(Values(after.out, "external_id"), (std::vector<std::string>{"b", "c"}));
}

TEST_F(CliFeedsTest, ProvinceNamesFilter) {
  const std::string guangxi_collector = TokenFor(v1::ROLE_COLLECTOR, 450000);
  Push({Incident("gd-1")});
  Push({Incident("gx-1", 450000)}, {}, guangxi_collector);
  for (const char* province : {"Guangdong", "广东省", "广东", "440000"}) {
    const CliRun listed = Sitrep(std::string("incidents list --json --province ") + province);
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(Values(listed.out, "external_id"), (std::vector<std::string>{"gd-1"})) << province;
  }
  const CliRun guangxi = Sitrep("incidents list --json --province guangxi");
  EXPECT_EQ(Values(guangxi.out, "external_id"), (std::vector<std::string>{"gx-1"}));
  const CliRun both = Sitrep("incidents list --json --province 广西,Guangdong");
  EXPECT_EQ(Lines(both.out), 2) << both.out;
}

TEST_F(CliFeedsTest, OtherFiltersReachTheServer) {
  v1::Incident severe = Incident("severe");
  severe.set_severity(v1::SEVERITY_I);
  severe.set_title("Grid SCADA intrusion");
  Push({Incident("mild"), severe});
  const CliRun worst = Sitrep("incidents list --json --min-severity II");
  ASSERT_EQ(worst.exit_code, 0) << worst.err;
  EXPECT_EQ(Values(worst.out, "external_id"), (std::vector<std::string>{"severe"}));
  const CliRun titled = Sitrep("incidents list --json --title 'scada'");
  EXPECT_EQ(Values(titled.out, "external_id"), (std::vector<std::string>{"severe"}));
  const CliRun recent = Sitrep("incidents list --json --since 1h --sector 能源");
  ASSERT_EQ(recent.exit_code, 0) << recent.err;
  EXPECT_EQ(Lines(recent.out), 2) << recent.out;
}

TEST_F(CliFeedsTest, AnUnknownProvinceIsAUsageError) {
  const CliRun unknown = Sitrep("incidents list --province Atlantis");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "sitrep: --province: unknown province 'Atlantis'; give its code or name, e.g. "
            "440000, Guangdong or 广东\n");
  EXPECT_EQ(unknown.out, "");
}

TEST_F(CliFeedsTest, GetShowsEveryField) {
  Push({Incident("a")});
  const CliRun listed = Sitrep("incidents list --json");
  const std::vector<std::string> ids = Values(listed.out, "id");
  ASSERT_EQ(ids.size(), 1u) << listed.out << listed.err;
  const CliRun shown = Sitrep("incidents get " + ids[0]);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* field :
       {"某热电厂DCS工程师站遭勒索软件加密", "440000 广东省 Guangdong", "ipv4 203.0.113.7",
        "CVE-2023-3595", "T0866", "REDACTED", "EXTERNAL ID  a\n"}) {
    EXPECT_NE(shown.out.find(field), std::string::npos) << field << " in " << shown.out;
  }
  const CliRun json = Sitrep("incidents get --json " + ids[0]);
  EXPECT_EQ(Lines(json.out), 1);

  const CliRun missing = Sitrep("incidents get 999999");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("sitrep: NOT_FOUND", 0), 0u) << missing.err;
  EXPECT_EQ(Lines(missing.err), 1) << missing.err;
}

TEST_F(CliFeedsTest, WatchReplaysFromACursorAndEndsCleanlyOnSigint) {
  Push({Incident("a"), Incident("b"), Incident("c")});
  const std::vector<std::string> cursors = Values(Sitrep("incidents list --json").out, "cursor");
  ASSERT_EQ(cursors.size(), 3u);
  // timeout sends SIGINT after 8 s, as Ctrl-C would; --preserve-status keeps sitrep's exit code.
  // --foreground: one SIGINT to sitrep only; without it timeout signals its process group too,
  // and that second SIGINT could land after sitrep had handled the first and restored the default.
  const CliRun watched = Sitrep("incidents watch --json --cursor '" + cursors[0] + "'",
                                "timeout --foreground --preserve-status -s INT 8 ");
  EXPECT_EQ(watched.exit_code, 0) << watched.err;
  EXPECT_EQ(watched.err, "");
  EXPECT_EQ(Values(watched.out, "external_id"), (std::vector<std::string>{"b", "c"}));
}

TEST_F(CliFeedsTest, WatchWithAFollowFileResumesWhereTheLastRunStopped) {
  const std::string watch = "incidents watch --json --follow '" + cursor_file_.string() + "'";
  const std::string for_8s = "timeout --foreground --preserve-status -s INT 8 ";
  // The first run starts from now: it sees what is pushed while it runs, not what came before.
  Push({Incident("before")});
  CliRun first;
  std::thread running([&] { first = Sitrep(watch, for_8s); });
  // Slow starts (sanitizers, a loaded CI machine) must not race the push or the SIGINT.
  std::this_thread::sleep_for(std::chrono::milliseconds(4000));
  Push({Incident("during")});
  running.join();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Values(first.out, "external_id"), (std::vector<std::string>{"during"}));

  // What commits between runs is replayed by the next one, and only that.
  Push({Incident("between")});
  const CliRun second = Sitrep(watch, for_8s);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Values(second.out, "external_id"), (std::vector<std::string>{"between"}));
}

TEST_F(CliFeedsTest, AssetsAreListedFilteredAndShown) {
  Push({}, {SampleAsset("plc-1", 440000, clock_.Now())});
  const CliRun listed = Sitrep("assets list --json --exposed --protocol modbus --province 广东");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(Values(listed.out, "asset_key"), (std::vector<std::string>{"plc-1"}));
  const CliRun none = Sitrep("assets list --json --protocol s7comm");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "");

  const CliRun table = Sitrep("assets list");
  EXPECT_NE(table.out.find("198.51.100.23:502/tcp"), std::string::npos) << table.out;
  const std::vector<std::string> ids = Values(listed.out, "id");
  ASSERT_EQ(ids.size(), 1u);
  const CliRun shown = Sitrep("assets get " + ids[0]);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("Schneider Electric"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("CVE-2022-45788"), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace sitrep::testing
