#include "storage/embedded_cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "logging/log.h"

namespace sitrep::storage {
namespace fs = std::filesystem;

namespace {

constexpr int kPort = 5432;
constexpr std::string_view kSocketName = "/.s.PGSQL.5432";
// sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
constexpr size_t kMaxSocketPath = 107;
constexpr std::string_view kInstallHint = "install postgresql-15";
constexpr const char* kSuperuser = "postgres";

// The unprivileged account that owns and runs the cluster when this process is root.
struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
};

struct Layout {
  fs::path pgdata;
  fs::path run;
  fs::path log;
  fs::path started_by;  // the pid of the process that started the running server
};

Layout LayoutOf(const fs::path& directory) {
  return {directory / "pgdata", directory / "run", directory / "postgres.log",
          directory / "started_by.pid"};
}

std::string LastLine(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  const size_t newline = text.rfind('\n');
  return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

// The line of a program's output or log that says what went wrong: the last FATAL, PANIC or
// "error:" line (initdb and postgres follow it with cleanup notes and HINTs), else the last line.
std::string TellingLine(std::string_view text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::string line = LastLine(rest);
    if (line.find("FATAL:") != std::string::npos || line.find("PANIC:") != std::string::npos ||
        line.find("error:") != std::string::npos) {
      return line;
    }
    const size_t newline = rest.find_last_not_of("\r\n ");
    if (newline == std::string_view::npos) break;
    const size_t start = rest.rfind('\n', newline);
    if (start == std::string_view::npos) break;
    rest = rest.substr(0, start);
  }
  return LastLine(text);
}

std::string TellingLogLine(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  if (!in) return "(no log)";
  // The log may have grown over many starts; its tail is what this start wrote.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff tail = std::min<std::streamoff>(size, 8192);
  in.seekg(size - tail);
  std::string text(static_cast<size_t>(tail), '\0');
  in.read(text.data(), tail);
  std::string line = TellingLine(text);
  return line.empty() ? "(empty log)" : line;
}

std::optional<Account> ClusterAccount() {
  if (geteuid() != 0) return std::nullopt;
  // getpwnam is not thread-safe; getpwnam_r with a generous buffer is.
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(kSuperuser, &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    throw StartupError(
        "running as root needs the 'postgres' system user to own the database cluster; "
        "none exists (" +
        std::string(kInstallHint) + " creates it)");
  }
  Account account{entry.pw_uid, entry.pw_gid, {}};
  int count = 64;
  account.groups.resize(static_cast<size_t>(count));
  while (getgrouplist(entry.pw_name, entry.pw_gid, account.groups.data(), &count) < 0) {
    account.groups.resize(static_cast<size_t>(count));
  }
  account.groups.resize(static_cast<size_t>(count));
  return account;
}

// Drops to `account` in a freshly forked child. Only async-signal-safe calls: the parent may
// have other threads.
bool BecomeAccount(const Account& account) {
  return setgroups(account.groups.size(), account.groups.data()) == 0 && setgid(account.gid) == 0 &&
         setuid(account.uid) == 0;
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs argv[0] with the arguments (no shell), as `account` when set, in `working_directory`,
// and collects its output. Throws StartupError when the process cannot be started.
RunResult Run(const std::vector<std::string>& argv, const std::optional<Account>& account,
              const fs::path& working_directory) {
  // Everything the child needs is prepared before fork().
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string cwd = working_directory.string();

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw StartupError("cannot create a pipe: " + std::string(std::strerror(errno)));
  }
  const int dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    if (dev_null >= 0) close(dev_null);
    throw StartupError("cannot fork: " + std::string(std::strerror(error)));
  }
  if (pid == 0) {
    if (dev_null >= 0) dup2(dev_null, STDIN_FILENO);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    if (chdir(cwd.c_str()) != 0 || (account && !BecomeAccount(*account))) {
      constexpr char kMessage[] = "cannot switch to the postgres user or directory\n";
      [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
      _exit(126);
    }
    execv(args[0], args.data());
    constexpr char kMessage[] = "cannot execute the program\n";
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    _exit(127);
  }
  close(pipe_fds[1]);
  if (dev_null >= 0) close(dev_null);
  RunResult result;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Whether `account` may search (traverse) `directory` and every directory above it.
bool CanTraverse(const Account& account, const fs::path& directory) {
  const std::string path = directory.string();
  const pid_t pid = fork();
  if (pid < 0) return true;  // cannot tell; let initdb or pg_ctl report the problem
  if (pid == 0) {
    if (!BecomeAccount(account)) _exit(2);
    _exit(access(path.c_str(), X_OK) == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool IsExecutable(const fs::path& path) { return access(path.c_str(), X_OK) == 0; }

bool HasBinaries(const fs::path& bin) {
  return IsExecutable(bin / "pg_ctl") && IsExecutable(bin / "initdb") &&
         IsExecutable(bin / "postgres");
}

fs::path FindBinDir(const fs::path& requested) {
  if (!requested.empty()) {
    if (HasBinaries(requested)) return requested;
    throw StartupError("PostgreSQL binaries not found: no initdb, pg_ctl and postgres in " +
                       requested.string() + " (" + std::string(kInstallHint) + ")");
  }
  const fs::path root = "/usr/lib/postgresql";
  int best_version = -1;
  fs::path best;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
    const std::string name = entry.path().filename().string();
    int version = 0;
    const auto [end, parse_error] =
        std::from_chars(name.data(), name.data() + name.size(), version);
    if (parse_error != std::errc() || end != name.data() + name.size()) continue;
    if (version > best_version && HasBinaries(entry.path() / "bin")) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  if (best_version < 0) {
    throw StartupError("PostgreSQL binaries not found: " + std::string(kInstallHint) +
                       " (looked in " + root.string() + ")");
  }
  return best;
}

// pg_ctl hands the data directory, log file and -o options to /bin/sh inside double quotes,
// and unix_socket_directories is a comma-separated list: refuse paths that would be
// reinterpreted rather than quote them for two parsers.
void CheckPathCharacters(const fs::path& directory) {
  for (const char c : directory.string()) {
    if (c == '"' || c == '\'' || c == '$' || c == '`' || c == '\\' || c == ',' ||
        static_cast<unsigned char>(c) < 0x20) {
      throw StartupError("data directory " + directory.string() +
                         " contains a quote, $, `, \\, comma or control character, which "
                         "pg_ctl cannot pass safely: choose another directory");
    }
  }
}

fs::path PrepareDirectory(const fs::path& requested) {
  if (requested.empty()) throw StartupError("no data directory given for PostgreSQL");
  std::error_code error;
  fs::path directory = fs::absolute(requested, error).lexically_normal();
  if (error) {
    throw StartupError("cannot resolve data directory " + requested.string() + ": " +
                       error.message());
  }
  if (!directory.has_filename()) directory = directory.parent_path();  // trailing '/'
  CheckPathCharacters(directory);
  const std::string socket = (LayoutOf(directory).run.string() + std::string(kSocketName));
  if (socket.size() > kMaxSocketPath) {
    throw StartupError("data directory path too long: the socket path " + socket + " is " +
                       std::to_string(socket.size()) + " bytes, over the " +
                       std::to_string(kMaxSocketPath) +
                       "-byte limit of unix sockets; choose a shorter directory");
  }
  fs::create_directories(directory, error);
  if (error) {
    throw StartupError("cannot create data directory " + directory.string() + ": " +
                       error.message());
  }
  if (access(directory.c_str(), W_OK | X_OK) != 0) {
    throw StartupError("data directory " + directory.string() +
                       " is not writable: " + std::strerror(errno));
  }
  return directory;
}

void GiveTo(const std::optional<Account>& account, const fs::path& path) {
  if (!account) return;
  if (chown(path.c_str(), account->uid, account->gid) != 0) {
    throw StartupError("cannot give " + path.string() +
                       " to the postgres user: " + std::strerror(errno));
  }
}

std::optional<pid_t> PostmasterPidFromFile(const fs::path& pgdata) {
  std::ifstream pid_file(pgdata / "postmaster.pid");
  long pid = 0;
  if (!(pid_file >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

struct ProcessState {
  std::string name;  // the command name, at most 15 characters
  char state = '?';  // R, S, D, Z, …
};

// /proc/<pid>/stat is "pid (comm) state …"; nullopt when it cannot be read or parsed.
std::optional<ProcessState> StateOf(pid_t pid) {
  std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) return std::nullopt;
  const size_t open = stat.find('(');
  const size_t close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) {
    return std::nullopt;
  }
  return ProcessState{stat.substr(open + 1, close - open - 1), stat[close + 2]};
}

// The pid in postmaster.pid when that process is alive and is a postgres process; a stale
// file (after a crash or reboot, possibly naming an unrelated process now) yields nullopt and
// is cleaned up by the postmaster itself when it starts.
std::optional<pid_t> RunningPostmaster(const fs::path& pgdata) {
  const std::optional<pid_t> pid = PostmasterPidFromFile(pgdata);
  if (!pid) return std::nullopt;
  if (kill(*pid, 0) != 0 && errno != EPERM) return std::nullopt;
  // A zombie (an exited postmaster that a container's init has not reaped) still answers
  // kill(pid, 0).
  if (const std::optional<ProcessState> state = StateOf(*pid)) {
    if (!state->name.starts_with("postgres") || state->state == 'Z') return std::nullopt;
  }
  return pid;
}

// The pid in postmaster.pid when that process has exited but is not reaped yet (a zombie).
std::optional<pid_t> ZombiePostmaster(const fs::path& pgdata) {
  const std::optional<pid_t> pid = PostmasterPidFromFile(pgdata);
  if (!pid) return std::nullopt;
  const std::optional<ProcessState> state = StateOf(*pid);
  if (!state || state->state != 'Z' || !state->name.starts_with("postgres")) return std::nullopt;
  return pid;
}

// Whether the server running on the directory was left behind by a process that died without
// stopping it (kill -9 of sitrepd): the postmaster outlives its starter, and such a server is
// ours to stop. A server started by a live process, by this one, or not by EmbeddedCluster at
// all (no started_by.pid) is not.
bool IsOrphan(const Layout& layout) {
  std::ifstream file(layout.started_by);
  long starter = 0;
  if (!(file >> starter) || starter <= 0 || starter == getpid()) return false;
  return kill(static_cast<pid_t>(starter), 0) != 0 && errno == ESRCH;
}

std::string ClusterLocale() {
  // C.UTF-8 keeps byte-order collation (fast, stable across glibc upgrades) and still
  // classifies non-ASCII characters; plain C where the system lacks it.
  if (locale_t probe = newlocale(LC_ALL_MASK, "C.UTF-8", nullptr)) {
    freelocale(probe);
    return "C.UTF-8";
  }
  return "C";
}

void InitialiseIfNeeded(const fs::path& bin, const fs::path& directory,
                        const std::optional<Account>& account) {
  const Layout layout = LayoutOf(directory);
  if (fs::exists(layout.pgdata / "PG_VERSION")) return;
  if (fs::exists(layout.pgdata) && !fs::is_empty(layout.pgdata)) {
    throw StartupError(layout.pgdata.string() +
                       " exists but holds no PostgreSQL cluster: move it away or choose "
                       "another directory");
  }
  // initdb writes into a scratch directory that is renamed into place only when complete, so
  // a crash during initdb never leaves a half-made cluster that would later refuse to start.
  const fs::path scratch = directory / "pgdata.initdb";
  std::error_code error;
  fs::remove_all(scratch, error);
  fs::remove(layout.pgdata, error);
  fs::create_directory(scratch, error);
  if (error) {
    throw StartupError("cannot create " + scratch.string() + ": " + error.message());
  }
  fs::permissions(scratch, fs::perms::owner_all, error);
  GiveTo(account, scratch);
  const RunResult result = Run({(bin / "initdb").string(), "-D", scratch.string(), "-U", kSuperuser,
                                "--auth=trust", "-E", "UTF8", "--locale=" + ClusterLocale()},
                               account, directory);
  if (result.exit_code != 0) {
    fs::remove_all(scratch, error);
    throw StartupError("initdb failed: " + TellingLine(result.output));
  }
  fs::rename(scratch, layout.pgdata, error);
  if (error) {
    throw StartupError("cannot rename " + scratch.string() + " to " + layout.pgdata.string() +
                       ": " + error.message());
  }
}

void PrepareRunDirectoryAndLog(const Layout& layout, const std::optional<Account>& account) {
  std::error_code error;
  fs::create_directory(layout.run, error);
  if (error) {
    throw StartupError("cannot create " + layout.run.string() + ": " + error.message());
  }
  // Authentication is "trust" on this socket, so only its owner may reach it.
  fs::permissions(layout.run, fs::perms::owner_all, error);
  GiveTo(account, layout.run);
  const int fd = open(layout.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StartupError("cannot create " + layout.log.string() + ": " + std::strerror(errno));
  }
  close(fd);
  GiveTo(account, layout.log);
}

// Percent-encodes all but RFC 3986 unreserved characters (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

}  // namespace

EmbeddedCluster::EmbeddedCluster(Options options) : options_(std::move(options)) {}

EmbeddedCluster::~EmbeddedCluster() {
  try {
    Stop();
  } catch (...) {
    // A destructor must not throw; Stop() has logged what went wrong.
  }
}

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::Start(const Options& options) {
  Options resolved = options;
  resolved.pg_bin_dir = FindBinDir(options.pg_bin_dir);
  resolved.directory = PrepareDirectory(options.directory);
  std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster(std::move(resolved)));
  cluster->Restart();
  return cluster;
}

void EmbeddedCluster::Restart() {
  if (running_) return;
  const fs::path& directory = options_.directory;
  const Layout layout = LayoutOf(directory);
  const std::optional<Account> account = ClusterAccount();
  if (account && !CanTraverse(*account, directory)) {
    throw StartupError("the postgres user cannot reach " + directory.string() +
                       ": every directory on the path must be searchable by it (chmod o+x)");
  }
  if (const std::optional<pid_t> pid = RunningPostmaster(layout.pgdata)) {
    if (!IsOrphan(layout)) {
      throw StartupError("a PostgreSQL server (pid " + std::to_string(*pid) +
                         ") is already running on " + layout.pgdata.string() +
                         ": stop it or choose another directory");
    }
    // Restarted rather than adopted, so it runs with this start's settings.
    Log(LogLevel::kWarn, "postgres_orphan_stopping",
        {{"directory", directory.string()}, {"pid", std::to_string(*pid)}});
    const RunResult stopped = Run({(options_.pg_bin_dir / "pg_ctl").string(), "stop", "-D",
                                   layout.pgdata.string(), "-m", "fast", "-w", "-t", "60"},
                                  account, directory);
    if (stopped.exit_code != 0) {
      throw StartupError("cannot stop the PostgreSQL server (pid " + std::to_string(*pid) +
                         ") left running on " + layout.pgdata.string() + ": " +
                         TellingLine(stopped.output));
    }
  }
  InitialiseIfNeeded(options_.pg_bin_dir, directory, account);
  PrepareRunDirectoryAndLog(layout, account);

  // Durability matters more than speed here: fsync and synchronous_commit stay on even though
  // they are the defaults, so a stray postgresql.conf edit cannot turn them off unnoticed.
  // Sized for ingest: the record tables' ten indexes outgrow 128 MB of shared buffers within
  // a few million rows, and checkpoints every 1 GB of WAL rewrite whole pages again and again.
  // No JIT: every query here is short, and compiling one that the planner overestimates adds
  // tens of milliseconds to its latency.
  const std::string settings = "-c listen_addresses='' -c unix_socket_directories='" +
                               layout.run.string() + "' -p " + std::to_string(kPort) +
                               " -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
                               " -c shared_buffers=1GB -c max_wal_size=8GB"
                               " -c checkpoint_timeout=15min -c max_connections=200 -c jit=off";
  const RunResult result =
      Run({(options_.pg_bin_dir / "pg_ctl").string(), "start", "-D", layout.pgdata.string(), "-w",
           "-t", "60", "-l", layout.log.string(), "-o", settings},
          account, directory);
  if (result.exit_code != 0) {
    throw StartupError("PostgreSQL failed to start (log " + layout.log.string() +
                       "): " + TellingLogLine(layout.log));
  }
  running_ = true;
  std::ofstream(layout.started_by) << getpid() << '\n';

  if (!DatabaseExists(options_.database)) CreateDatabase(options_.database);
}

bool EmbeddedCluster::DatabaseExists(const std::string& name) const {
  try {
    pqxx::connection connection(UrlFor("postgres"));
    pqxx::nontransaction tx(connection);
    return !tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name).empty();
  } catch (const pqxx::failure& error) {
    throw StartupError("cannot look for database " + name + ": " + TellingLine(error.what()));
  }
}

void EmbeddedCluster::CreateDatabase(const std::string& name, const std::string& template_name) {
  try {
    pqxx::connection connection(UrlFor("postgres"));
    pqxx::nontransaction tx(connection);
    tx.exec("CREATE DATABASE " + tx.quote_name(name) +
            (template_name.empty() ? "" : " TEMPLATE " + tx.quote_name(template_name)));
  } catch (const pqxx::failure& error) {
    throw StartupError("cannot create database " + name + ": " + TellingLine(error.what()));
  }
}

void EmbeddedCluster::Stop() {
  if (!running_) return;
  running_ = false;  // whatever pg_ctl says, this object no longer counts on the server
  const RunResult result =
      Run({(options_.pg_bin_dir / "pg_ctl").string(), "stop", "-D",
           LayoutOf(options_.directory).pgdata.string(), "-m", "fast", "-w", "-t", "60"},
          ClusterAccount(), options_.directory);
  if (result.exit_code != 0) {
    Log(LogLevel::kWarn, "postgres_stop_failed",
        {{"directory", options_.directory.string()}, {"output", TellingLine(result.output)}});
    return;
  }
  std::error_code ignored;
  fs::remove(LayoutOf(options_.directory).started_by, ignored);
}

bool EmbeddedCluster::postmaster_alive() const {
  return RunningPostmaster(LayoutOf(options_.directory).pgdata).has_value();
}

void EmbeddedCluster::RestartAfterDeath() {
  const Layout layout = LayoutOf(options_.directory);
  // A postmaster that came up after all (a previous attempt's pg_ctl gave up waiting during a
  // long crash recovery) is the one this object started: keep it.
  if (RunningPostmaster(layout.pgdata)) {
    running_ = true;
    return;
  }
  // The dead postmaster stays a zombie until its parent reaps it, and PostgreSQL refuses to
  // start while the pid in postmaster.pid answers kill(pid, 0). pg_ctl's postmaster is
  // orphaned at start; where this process is the one that inherits orphans (PID 1 of a
  // container), nobody else would ever reap it.
  if (const std::optional<pid_t> zombie = ZombiePostmaster(layout.pgdata)) {
    if (waitpid(*zombie, nullptr, WNOHANG) != *zombie) {
      throw StartupError("the dead postmaster (pid " + std::to_string(*zombie) +
                         ") is not reaped yet by its parent");
    }
  }
  running_ = false;
  Restart();
}

std::string EmbeddedCluster::UrlFor(std::string_view database) const {
  return "postgresql:///" + PercentEncode(database, false) +
         "?host=" + PercentEncode(LayoutOf(options_.directory).run.string(), true) +
         "&port=" + std::to_string(kPort) + "&user=" + kSuperuser;
}

}  // namespace sitrep::storage
