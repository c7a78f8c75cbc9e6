// The sitrep binary against an in-process server: tables, --json, one-line errors, exit codes
// (issue #2).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/cli_runner.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class CliTest : public ServerFixture {
 protected:
  // Runs `sitrep --server <this server> --token-file <admin token> <args>`.
  CliRun Sitrep(const std::string& args, const std::string& token_file = "") {
    return RunSitrep(
        server_->port(),
        token_file.empty() ? data_dir_ / "admin.token" : std::filesystem::path(token_file), args,
        data_dir_);
  }
};

TEST_F(CliTest, ManagesTheRegistry) {
  const std::string code = NextCreditCode();
  CliRun created =
      Sitrep("enterprises create --credit-code " + code +
             " --name '深圳某电子有限公司' --province 440000 --sector "
             "electronic_information --type networked_industrial --size large --grade 3");
  ASSERT_EQ(created.exit_code, 0) << created.err;

  CliRun listed = Sitrep("enterprises list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("深圳某电子有限公司"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("CREDIT CODE"), std::string::npos);

  CliRun json = Sitrep("enterprises list --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{", 0), 0u) << json.out;
  EXPECT_NE(json.out.find("\"credit_code\":\"" + code + "\""), std::string::npos) << json.out;

  CliRun principal =
      Sitrep("principals create --name gd-regulator --role provincial --province 440000");
  ASSERT_EQ(principal.exit_code, 0) << principal.err;
  CliRun principals = Sitrep("principals list --json");
  EXPECT_NE(principals.out.find("gd-regulator"), std::string::npos);
}

TEST_F(CliTest, IssuedTokenWorksAndRevokedTokenFails) {
  CliRun principal = Sitrep("principals create --name national-1 --role national --json");
  ASSERT_EQ(principal.exit_code, 0) << principal.err;
  const size_t id_at = principal.out.find("\"id\":\"");
  ASSERT_NE(id_at, std::string::npos) << principal.out;
  const std::string id =
      principal.out.substr(id_at + 6, principal.out.find('"', id_at + 6) - id_at - 6);

  CliRun issued = Sitrep("tokens issue " + id + " --json");
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const size_t secret_at = issued.out.find("\"secret\":\"");
  ASSERT_NE(secret_at, std::string::npos) << issued.out;
  const std::string secret =
      issued.out.substr(secret_at + 10, issued.out.find('"', secret_at + 10) - secret_at - 10);
  const std::filesystem::path token_file = data_dir_ / "national.token";
  std::ofstream(token_file) << secret << "\n";
  EXPECT_EQ(Sitrep("enterprises list", token_file.string()).exit_code, 0);

  CliRun denied = Sitrep("principals list", token_file.string());
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_EQ(denied.err.rfind("sitrep: PERMISSION_DENIED", 0), 0u) << denied.err;
}

TEST_F(CliTest, BadInputIsOneLineNamingTheField) {
  CliRun bad = Sitrep(
      "enterprises create --credit-code 91440300708461136X --name x --province 440000 "
      "--sector energy --type platform --size small");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err.rfind("sitrep: INVALID_ARGUMENT: enterprise.credit_code", 0), 0u) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

  CliRun usage = Sitrep("enterprises create --role nobody");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(std::count(usage.err.begin(), usage.err.end(), '\n'), 1) << usage.err;
}

TEST_F(CliTest, HealthNeedsNoToken) {
  CliRun health = Sitrep("health", "/nonexistent/token");
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out, "SERVING\n");
}

}  // namespace
}  // namespace sitrep::testing
