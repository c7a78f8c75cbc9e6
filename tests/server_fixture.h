#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "server/app.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::testing {

// A fresh database (cloned from the migrated template of this binary's throwaway cluster), an
// in-process sitrepd on a free port, a plaintext channel to it, the bootstrap
// admin's token and a manual clock. Each test gets its own of everything.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts the server with `config_` as the test has adjusted it (called by SetUp unless
  // the test sets start_in_setup_ = false in its constructor).
  void StartServer();

  // A client context carrying `authorization: Bearer <token>` and a 10 s deadline.
  [[nodiscard]] static std::unique_ptr<grpc::ClientContext> As(const std::string& token);

  // Registers an enterprise in `province`/`sector` with a fresh valid credit code; returns it.
  v1::Enterprise RegisterEnterprise(uint32_t province, const std::string& sector = "energy",
                                    uint32_t grade = 0);
  // Creates a principal of `role` bound to `province` / `enterprise_id` and returns a token
  // secret for it.
  std::string TokenFor(v1::Role role, uint32_t province = 0, int64_t enterprise_id = 0);

  // The audit entries of the full gRPC method `method` (every method when empty; e.g.
  // "/sitrep.v1.NotificationService/Acknowledge"), newest first, read through
  // ListAuditEntries as the bootstrap admin.
  std::vector<v1::AuditEntry> AuditEntries(const std::string& method);

  // Every incident `filter` keeps, in feed order, read through ListIncidents as the bootstrap
  // admin (who reads every row): tests count what is stored through the public API.
  std::vector<v1::Incident> AllIncidents(const v1::IncidentFilter& filter = {});

  // Every principal and every token, read through ListPrincipals / ListTokens.
  std::vector<v1::Principal> AllPrincipals();
  std::vector<v1::Token> AllTokens();
  // The id of the principal named `name`, read through ListPrincipals (0 when none is).
  int64_t PrincipalId(const std::string& name);
  // The id of the newest principal and of the newest token (those TokenFor just made), read
  // through ListPrincipals / ListTokens.
  int64_t NewestPrincipalId();
  int64_t NewestTokenId();
  // The stored revision of incident `id`, read through GetIncident as the bootstrap admin
  // (0 when it cannot be read).
  int64_t StoredRevision(int64_t id);

  // A valid unified social credit code, different on every call.
  [[nodiscard]] static std::string NextCreditCode();

  std::filesystem::path data_dir_;
  Config config_;
  ManualClock clock_{std::chrono::system_clock::now()};
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::string admin_token_;
  bool start_in_setup_ = true;
  // Serving /metrics costs about a second per test in shutdown (civetweb's poll interval), so
  // only tests that read metrics turn it on.
  bool with_metrics_ = false;
};

// The field paths of the google.rpc.BadRequest carried by `status`.
[[nodiscard]] std::vector<std::string> ViolatedFields(const grpc::Status& status);

// The single value `sql` returns, run on `database_url` as its owner (past row-level security).
// Kept for the tests of other branches not yet moved to the public API (issue 18's
// advisory_pgtest); no test of this tree uses it, and a new one should read through the API.
[[nodiscard]] int64_t QueryInt(const std::string& database_url, const std::string& sql);

// GET http://127.0.0.1:<port>/metrics with a plain socket; returns the body ("" when the
// endpoint cannot be reached).
[[nodiscard]] std::string FetchMetrics(int port);

// A unique empty directory under /tmp, removed by the caller.
[[nodiscard]] std::filesystem::path MakeTempDir(const std::string& prefix);

// The whole of a file.
[[nodiscard]] std::string ReadText(const std::filesystem::path& path);

}  // namespace sitrep::testing
