#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace sitrep {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::optional<Config> Parse(std::vector<std::string> args, int& exit_code) {
  args.insert(args.begin(), "sitrepd");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return ParseFlags(static_cast<int>(args.size()), argv.data(), exit_code);
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sitrep-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path WriteFile(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  fs::path dir_;
  int exit_code_ = -1;
};

TEST_F(ConfigTest, EscalationDefaultsAreOnWithTheReferenceDeadlines) {
  const auto config = Parse({}, exit_code_);
  ASSERT_TRUE(config);
  EXPECT_EQ(exit_code_, 0);
  EXPECT_TRUE(config->escalation.enabled);
  EXPECT_EQ(config->escalation.deadlines[0], 1h);
  EXPECT_EQ(config->escalation.deadlines[1], 2h);
  EXPECT_EQ(config->escalation.deadlines[2], 24h);
  EXPECT_EQ(config->escalation.deadlines[3], 72h);
  EXPECT_EQ(config->escalation.kev_priority, v1::SEVERITY_III);
}

// Every address or directory flag documented with "empty disables it", in each spelling a
// shell gives an empty value: `--flag=`, `--flag ""` and a bare `--flag`.
TEST_F(ConfigTest, AnEmptyValueTurnsOffWhatTheFlagServes) {
  for (const char* flag : {"--http-listen", "--metrics-listen", "--console-dir"}) {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{std::string(flag) + "="}, {flag, ""}, {flag}}) {
      SCOPED_TRACE(args[0] + (args.size() > 1 ? " \"\"" : ""));
      const auto config = Parse(args, exit_code_);
      ASSERT_TRUE(config);
      const std::string flag_name = flag;
      const std::string value = flag_name == "--http-listen"      ? config->http_listen
                                : flag_name == "--metrics-listen" ? config->metrics_listen
                                                                  : config->console_dir.string();
      EXPECT_EQ(value, "");
    }
  }
  const auto defaults = Parse({}, exit_code_);
  ASSERT_TRUE(defaults);
  EXPECT_FALSE(defaults->http_listen.empty());
  EXPECT_FALSE(defaults->metrics_listen.empty());
  const auto chosen = Parse({"--http-listen=0.0.0.0:9090"}, exit_code_);
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->http_listen, "0.0.0.0:9090");
}

TEST_F(ConfigTest, EscalationFlagsSetTheRules) {
  const auto config = Parse(
      {"--escalation", "off", "--deadline-i", "30m", "--deadline-ii", "90m", "--deadline-iii", "2d",
       "--deadline-iv", "3600s", "--kev-priority", "II", "--kev-file", "/data/kev.json"},
      exit_code_);
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->escalation.enabled);
  EXPECT_EQ(config->escalation.deadlines[0], 30min);
  EXPECT_EQ(config->escalation.deadlines[1], 90min);
  EXPECT_EQ(config->escalation.deadlines[2], 48h);
  EXPECT_EQ(config->escalation.deadlines[3], 1h);
  EXPECT_EQ(config->escalation.kev_priority, v1::SEVERITY_II);
  EXPECT_EQ(config->kev_file, "/data/kev.json");
}

TEST_F(ConfigTest, EveryFlagCanComeFromAConfigFileAndTheCommandLineWins) {
  const fs::path file = WriteFile("sitrepd.conf",
                                  "# sitrepd settings\n"
                                  "listen = \"0.0.0.0:7443\"\n"
                                  "db-pool-size = 32\n"
                                  "escalation = off\n"
                                  "deadline-ii = 3h\n"
                                  "kev-file = \"/srv/kev.json\"\n"
                                  "kev-priority = II\n"
                                  "log-level = warn\n");
  const auto config = Parse({"--config", file.string(), "--db-pool-size", "8"}, exit_code_);
  ASSERT_TRUE(config) << exit_code_;
  EXPECT_EQ(config->listen, "0.0.0.0:7443");
  EXPECT_EQ(config->db_pool_size, 8u);
  EXPECT_FALSE(config->escalation.enabled);
  EXPECT_EQ(config->escalation.deadlines[1], 3h);
  EXPECT_EQ(config->escalation.deadlines[0], 1h);
  EXPECT_EQ(config->kev_file, "/srv/kev.json");
  EXPECT_EQ(config->escalation.kev_priority, v1::SEVERITY_II);
  EXPECT_EQ(config->log_level, LogLevel::kWarn);
}

TEST_F(ConfigTest, TheReadmeExampleConfigFileParses) {
  const fs::path file =
      WriteFile("sitrepd.conf",
                "# /etc/sitrep/sitrepd.conf — sitrepd --config /etc/sitrep/sitrepd.conf\n"
                "listen = \"0.0.0.0:7443\"\n"
                "data-dir = \"/var/lib/sitrep\"\n"
                "log-level = \"info\"\n"
                "escalation = on\n"
                "deadline-i = 1h     # 特别重大\n"
                "deadline-ii = 2h    # 重大\n"
                "deadline-iii = 24h  # 较大\n"
                "deadline-iv = 72h   # 一般\n"
                "kev-file = \"/var/lib/sitrep/known_exploited_vulnerabilities.json\"\n"
                "kev-priority = III\n");
  const auto config = Parse({"--config", file.string()}, exit_code_);
  ASSERT_TRUE(config) << exit_code_;
  EXPECT_EQ(config->listen, "0.0.0.0:7443");
  EXPECT_EQ(config->data_dir, "/var/lib/sitrep");
  EXPECT_TRUE(config->escalation.enabled);
  EXPECT_EQ(config->escalation.deadlines[0], 1h);
  EXPECT_EQ(config->escalation.deadlines[3], 72h);
  EXPECT_EQ(config->kev_file, "/var/lib/sitrep/known_exploited_vulnerabilities.json");
}

TEST_F(ConfigTest, AuditBufferFlagsSetItsBounds) {
  const auto defaults = Parse({}, exit_code_);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->audit_buffer_entries, 10'000u);
  EXPECT_EQ(defaults->audit_buffer_bytes, 16u << 20);
  const auto config =
      Parse({"--audit-buffer-entries", "250", "--audit-buffer-mib", "2"}, exit_code_);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->audit_buffer_entries, 250u);
  EXPECT_EQ(config->audit_buffer_bytes, 2u << 20);
}

struct BadArgs {
  const char* name;
  std::vector<std::string> args;
};

class ConfigBadArgsTest : public ConfigTest, public ::testing::WithParamInterface<BadArgs> {};

TEST_P(ConfigBadArgsTest, IsRefusedWithExitCodeTwo) {
  EXPECT_FALSE(Parse(GetParam().args, exit_code_));
  EXPECT_EQ(exit_code_, 2);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigBadArgsTest,
    ::testing::Values(BadArgs{"DeadlineWithoutUnit", {"--deadline-i", "2"}},
                      BadArgs{"DeadlineOfZero", {"--deadline-ii", "0h"}},
                      BadArgs{"DeadlineUnknownUnit", {"--deadline-iii", "2w"}},
                      BadArgs{"DeadlineNegative", {"--deadline-iv", "-1h"}},
                      BadArgs{"DeadlineBeyondAYear", {"--deadline-iv", "400d"}},
                      BadArgs{"EscalationNotOnOrOff", {"--escalation", "maybe"}},
                      BadArgs{"KevPriorityV", {"--kev-priority", "V"}},
                      BadArgs{"AuditBufferOfNoEntries", {"--audit-buffer-entries", "0"}},
                      BadArgs{"AuditBufferOfNoBytes", {"--audit-buffer-mib", "0"}},
                      BadArgs{"MissingConfigFile", {"--config", "/nonexistent/sitrepd.conf"}}),
    [](const ::testing::TestParamInfo<BadArgs>& info) { return info.param.name; });

TEST_F(ConfigTest, AnUnknownNameInTheConfigFileIsRefused) {
  const fs::path file = WriteFile("sitrepd.conf", "deadline-v = 2h\n");
  EXPECT_FALSE(Parse({"--config", file.string()}, exit_code_));
  EXPECT_EQ(exit_code_, 2);
}

TEST_F(ConfigTest, TheSharedKevCatalogIsTheDefaultWhenItExists) {
  const fs::path work = dir_ / "work";
  fs::create_directories(work);
  const fs::path previous = fs::current_path();
  fs::current_path(work);
  const auto without = Parse({}, exit_code_);
  WriteFile("shared/datasets/kev/known_exploited_vulnerabilities.json", "{}");
  const auto with = Parse({}, exit_code_);
  fs::current_path(previous);
  ASSERT_TRUE(without);
  EXPECT_EQ(without->kev_file, "");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->kev_file, kDefaultKevFile);
}

}  // namespace
}  // namespace sitrep
