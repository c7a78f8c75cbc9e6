#include "collector/collector_config.h"

#include <gtest/gtest.h>

#include <sstream>

namespace sitrep::collector {
namespace {

struct Parsed {
  std::optional<CollectorConfig> config;
  int exit_code = -1;
  std::string out;
  std::string err;
};

Parsed Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "sitrep-collector");
  Parsed parsed;
  std::ostringstream out;
  std::ostringstream err;
  parsed.config =
      ParseCollectorFlags(static_cast<int>(args.size()), args.data(), out, err, parsed.exit_code);
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

TEST(CollectorFlagsTest, DefaultsAreTheDocumentedOnes) {
  const Parsed parsed = Parse({});
  ASSERT_TRUE(parsed.config.has_value()) << parsed.err;
  EXPECT_EQ(parsed.config->format, InputFormat::kJsonl);
  EXPECT_EQ(parsed.config->spool_dir, "./collector-spool");
  EXPECT_EQ(parsed.config->spool_segment_mib, 16u);
  EXPECT_EQ(parsed.config->batch_size, 500u);
  EXPECT_EQ(parsed.config->window, 8u);
  EXPECT_EQ(parsed.config->server, "127.0.0.1:7443");
  EXPECT_FALSE(parsed.config->province.has_value());
}

TEST(CollectorFlagsTest, ReadsADemoRun) {
  const Parsed parsed = Parse({"--format", "demo", "--count", "50", "--seed", "9", "--province",
                               "440000", "--demo-invalid", "0.1", "--json"});
  ASSERT_TRUE(parsed.config.has_value()) << parsed.err;
  EXPECT_EQ(parsed.config->format, InputFormat::kDemo);
  EXPECT_EQ(parsed.config->count, 50u);
  EXPECT_EQ(parsed.config->seed, 9u);
  EXPECT_EQ(parsed.config->province, 440000u);
  EXPECT_DOUBLE_EQ(parsed.config->demo_invalid, 0.1);
  EXPECT_TRUE(parsed.config->json);
}

TEST(CollectorFlagsTest, UsageErrorsExitTwoWithOneLine) {
  const std::vector<std::vector<const char*>> cases = {
      {"--format", "xml"},
      {"--province", "710000"},
      {"--province", "guangdong"},
      {"--batch-size", "1001"},
      {"--batch-size", "0"},
      {"--window", "0"},
      {"--spool-segment-mib", "0"},
      {"--spool-segment-mib", "1025"},
      {"--count", "5"},
      {"--format", "demo", "input.jsonl"},
      {"--format", "csaf", "-"},
      {"--format", "demo", "--demo-duplicates", "1.5"},
      {"--tls-cert", "c.pem"},
      {"--no-such-flag"},
  };
  for (const auto& args : cases) {
    const Parsed parsed = Parse(args);
    EXPECT_FALSE(parsed.config.has_value()) << args[0];
    EXPECT_EQ(parsed.exit_code, 2) << args[0];
    EXPECT_EQ(std::count(parsed.err.begin(), parsed.err.end(), '\n'), 1) << parsed.err;
    EXPECT_TRUE(parsed.err.starts_with("sitrep-collector: ")) << parsed.err;
  }
}

TEST(CollectorFlagsTest, HelpExitsZero) {
  const Parsed parsed = Parse({"--help"});
  EXPECT_FALSE(parsed.config.has_value());
  EXPECT_EQ(parsed.exit_code, 0);
  EXPECT_NE(parsed.out.find("--spool-dir"), std::string::npos);
}

}  // namespace
}  // namespace sitrep::collector
