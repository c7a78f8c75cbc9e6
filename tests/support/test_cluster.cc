#include "tests/support/test_cluster.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include "storage/migrations.h"

namespace sitrep::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kTemplateDatabase = "sitrep_template";
constexpr std::string_view kDirectoryPrefix = "sitrep-pgtest-";
constexpr const char* kOwnerFile = "owner.pid";

// Removes the directories of earlier test binaries that died without cleaning up (their owner
// pid is gone). Their postmaster notices within a minute that postmaster.pid vanished and shuts
// down; nothing is killed here.
void RemoveAbandonedDirectories() {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator("/tmp", error)) {
    if (!entry.path().filename().string().starts_with(kDirectoryPrefix)) continue;
    std::ifstream owner_file(entry.path() / kOwnerFile);
    long owner = 0;
    if (!(owner_file >> owner) || owner <= 0) continue;
    if (kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH) continue;
    fs::remove_all(entry.path(), error);
  }
}

fs::path MakeDirectory() {
  std::string pattern = "/tmp/" + std::string(kDirectoryPrefix) + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  const fs::path directory = pattern;
  std::ofstream(directory / kOwnerFile) << getpid() << '\n';
  if (geteuid() == 0) {
    // PostgreSQL runs as the postgres user, which needs the (0700) directory as its own.
    if (const passwd* postgres = getpwnam("postgres")) {
      if (chown(directory.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
        throw std::system_error(errno, std::generic_category(), "chown " + directory.string());
      }
    }
  }
  return directory;
}

// Owns the cluster for the whole process; its destructor runs at exit.
class Owner final {
 public:
  ~Owner() {
    cluster_.reset();  // stops PostgreSQL
    std::error_code error;
    if (!directory_.empty()) fs::remove_all(directory_, error);
  }

  storage::EmbeddedCluster& Cluster() {
    std::lock_guard lock(mu_);
    return StartedLocked();
  }

  // `template_name` empty: template1, PostgreSQL's pristine default.
  std::string NewDatabase(const std::string& template_name) {
    std::lock_guard lock(mu_);
    storage::EmbeddedCluster& cluster = StartedLocked();
    const std::string name = "test_" + std::to_string(++databases_);
    cluster.CreateDatabase(name, template_name);
    return cluster.UrlFor(name);
  }

  fs::path ScratchDirectory() {
    std::lock_guard lock(mu_);
    const fs::path scratch = DirectoryLocked() / ("scratch-" + std::to_string(++scratches_));
    fs::create_directory(scratch);
    return scratch;
  }

 private:
  const fs::path& DirectoryLocked() {
    if (directory_.empty()) {
      RemoveAbandonedDirectories();
      directory_ = MakeDirectory();
    }
    return directory_;
  }

  storage::EmbeddedCluster& StartedLocked() {
    if (cluster_ == nullptr) {
      const fs::path& directory = DirectoryLocked();
      cluster_ = storage::EmbeddedCluster::Start(
          {.directory = directory / "cluster", .pg_bin_dir = {}, .database = kTemplateDatabase});
      storage::RunMigrations(cluster_->url());
    } else if (!cluster_->running()) {
      cluster_->Restart();  // a test stopped it and did not start it again
    }
    return *cluster_;
  }

  std::mutex mu_;
  fs::path directory_;                                 // guarded by mu_
  std::unique_ptr<storage::EmbeddedCluster> cluster_;  // guarded by mu_
  int databases_ = 0;                                  // guarded by mu_
  int scratches_ = 0;                                  // guarded by mu_
};

Owner& TheOwner() {
  static Owner owner;
  return owner;
}

}  // namespace

// LeakSanitizer (the asan preset) asks every binary for suppressions through this hook. libpqxx
// 6.4 does not free the PGresult that libpq makes when a connection dies in the middle of a
// query; tests that kill backends or PostgreSQL would otherwise fail on that library leak. Only
// memory allocated inside libpq is exempt: sitrep never calls libpq directly.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpq.so\n"; }

std::string TestCluster::FreshDatabaseUrl() { return TheOwner().NewDatabase(kTemplateDatabase); }

std::string TestCluster::EmptyDatabaseUrl() { return TheOwner().NewDatabase(""); }

std::filesystem::path TestCluster::ScratchDirectory() { return TheOwner().ScratchDirectory(); }

storage::EmbeddedCluster& TestCluster::Cluster() { return TheOwner().Cluster(); }

}  // namespace sitrep::test
