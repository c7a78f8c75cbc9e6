#include "server/app.h"

#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "escalation/escalator.h"
#include "feeds/feeds.h"
#include "feeds/situation.h"
#include "feeds/situation_compactor.h"
#include "http/edge.h"
#include "ingest/advisory_matching.h"
#include "ingest/group_commit_writer.h"
#include "ingest/reports.h"
#include "logging/log.h"
#include "notifications/notices.h"
#include "registry/registry.h"
#include "registry/token_secret.h"
#include "server/audit_writer.h"
#include "server/authenticator.h"
#include "server/feed_service.h"
#include "server/health_monitor.h"
#include "server/ingest_service.h"
#include "server/metrics.h"
#include "server/notification_service.h"
#include "server/registry_service.h"
#include "server/report_service.h"
#include "server/rpc_runner.h"
#include "server/unparsed_request.h"
#include "server/vulnerability_service.h"
#include "storage/audit_store.h"
#include "storage/cluster_supervisor.h"
#include "storage/credential_listener.h"
#include "storage/embedded_cluster.h"
#include "storage/enterprise_store.h"
#include "storage/errors.h"
#include "storage/feed_listener.h"
#include "storage/feed_store.h"
#include "storage/migrations.h"
#include "storage/notification_store.h"
#include "storage/pool.h"
#include "storage/principal_store.h"
#include "storage/reference_store.h"
#include "storage/session_store.h"
#include "storage/situation_store.h"

namespace sitrep {
namespace {

using storage::StartupError;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw StartupError("cannot read " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Writes `text` to `path` readable by the owner only, replacing it atomically.
void WritePrivateFile(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw StartupError("cannot write " + temporary.string() + ": " + strerror(errno));
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    throw StartupError("cannot write " + path.string() + ": " + strerror(errno));
  }
}

// The URL without its password, for messages.
std::string Redacted(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// The first certificate of a PEM text, or null.
std::unique_ptr<X509, decltype(&X509_free)> FirstCertificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return {bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free};
}

// gRPC takes any text as key and certificate and then only fails to listen, which sitrepd
// reported as "address in use or invalid?". This names the file that is wrong instead, or
// returns nullopt when the files are fine.
std::optional<std::string> TlsFilesProblem(const Config& config, const std::string& key_pem,
                                           const std::string& cert_pem,
                                           const std::string& client_ca_pem) {
  const auto certificate = FirstCertificate(cert_pem);
  if (!certificate) {
    return "TLS certificate " + config.tls_cert.string() + " holds no PEM certificate";
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
  // A passphrase callback that fails: an encrypted key is refused, never prompted for.
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(
                bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr)
          : nullptr,
      &EVP_PKEY_free);
  if (!key) return "TLS key " + config.tls_key.string() + " holds no unencrypted PEM private key";
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return "TLS key " + config.tls_key.string() + " does not match the certificate " +
           config.tls_cert.string();
  }
  if (!config.tls_client_ca.empty() && !FirstCertificate(client_ca_pem)) {
    return "TLS client CA " + config.tls_client_ca.string() + " holds no PEM certificate";
  }
  return std::nullopt;
}

std::shared_ptr<grpc::ServerCredentials> Credentials(const Config& config) {
  if (config.tls_cert.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      config.tls_client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  const std::string key = ReadFile(config.tls_key), cert = ReadFile(config.tls_cert);
  if (!config.tls_client_ca.empty()) options.pem_root_certs = ReadFile(config.tls_client_ca);
  const std::optional<std::string> problem =
      TlsFilesProblem(config, key, cert, options.pem_root_certs);
  ERR_clear_error();  // what OpenSSL found wrong would stay queued for this thread otherwise
  if (problem) throw StartupError(*problem);
  options.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(options);
}

// Room for 16 messages of the maximum size in flight at once (16 Push streams each receiving
// a full batch), and never less than 64 MiB.
size_t TransportMemoryBytes(const Config& config) {
  return std::max(size_t{64} << 20, 16 * config.max_message_bytes);
}

constexpr int kMaxStreamsPerConnection = 100;

class RunningServer final : public Server {
 public:
  RunningServer(const Config& config, const Clock* clock) : config_(config) {
    if (clock == nullptr) {
      own_clock_ = std::make_unique<SystemClock>();
      clock = own_clock_.get();
    }
    clock_ = clock;
    const auto start = std::chrono::steady_clock::now();
    // First, so that a wrong TLS file fails before a database is started.
    credentials_ = Credentials(config_);
    PrepareDataDir();
    OpenDatabase();
    pool_ = std::make_unique<storage::Pool>(database_url_, config_.db_pool_size);
    codes_ = storage::LoadReferenceCodes(*pool_);
    enterprises_ = std::make_unique<storage::EnterpriseStore>(*pool_);
    principals_ = std::make_unique<storage::PrincipalStore>(*pool_);
    audit_ = std::make_unique<storage::AuditStore>(*pool_);
    BootstrapAdmin();

    metrics_ = std::make_unique<Metrics>([pool = pool_.get()] {
      const storage::Pool::Stats stats = pool->stats();
      return std::pair{stats.in_use, stats.idle};
    });
    if (!config_.metrics_listen.empty()) {
      try {
        metrics_->Serve(config_.metrics_listen);
      } catch (const std::exception& error) {
        throw StartupError("cannot serve metrics on " + config_.metrics_listen + ": " +
                           error.what());
      }
    }
    // Tokens are cached only while the credential notices that invalidate them are heard.
    authenticator_ = std::make_unique<Authenticator>(*principals_, *clock_, [this] {
      return credential_listener_ != nullptr && credential_listener_->listening();
    });
    audit_writer_ = std::make_unique<AuditWriter>(
        *audit_, *metrics_,
        AuditWriter::Options{.max_entries = config_.audit_buffer_entries,
                             .max_bytes = config_.audit_buffer_bytes});
    live_calls_ = std::make_unique<LiveCalls>(
        *clock_,
        [authenticator = authenticator_.get()](const Credential& credential) {
          return authenticator->Recheck(credential);
        },
        [authenticator = authenticator_.get()](const std::string& notice) {
          authenticator->Forget(notice);
        });
    rpc_ = std::make_unique<RpcRunner>(
        *authenticator_, *live_calls_,
        [this] {
          if (feed_listener_) feed_listener_->WakeAll();
        },
        *audit_writer_, *metrics_);
    registry_ =
        std::make_unique<registry::Registry>(*enterprises_, *principals_, *audit_, codes_, *clock_);
    escalator_ = std::make_unique<escalation::Escalator>(config_.escalation, config_.kev_file);
    escalator_->StoreKnownExploited(*pool_);
    // Assets stored before product keys existed (migration 0039) get them, and their matches,
    // before ingest opens: matching finds assets by key.
    ingest::KeyStoredAssets(*pool_, escalator_.get(), clock_->Now());
    writer_ = std::make_unique<ingest::GroupCommitWriter>(
        *pool_, *clock_,
        ingest::GroupCommitWriter::Options{.writers = config_.ingest_writers,
                                           .max_queued_bytes = config_.ingest_queue_bytes,
                                           .escalator = escalator_.get()},
        [metrics = metrics_.get()](std::chrono::steady_clock::duration latency, size_t) {
          metrics->ObserveCommit(latency);
        });
    metrics_->SetQueueDepth([writer = writer_.get()] { return writer->queued_batches(); });
    reports_ = std::make_unique<ingest::Reports>(*pool_, *writer_, codes_, *clock_);
    feed_store_ = std::make_unique<storage::FeedStore>(*pool_, feed_horizon_);
    feed_listener_ = std::make_unique<storage::FeedListener>(database_url_);
    credential_listener_ = std::make_unique<storage::CredentialListener>(
        database_url_,
        [calls = live_calls_.get()](const std::string& notice) { calls->Heard(notice); },
        [calls = live_calls_.get()] { calls->RecheckAll(); });
    feeds_ = std::make_unique<feeds::Feeds>(*feed_store_, *feed_listener_, codes_);
    vulnerability_store_ = std::make_unique<storage::VulnerabilityStore>(*pool_, feed_horizon_);
    vulnerabilities_ = std::make_unique<feeds::Vulnerabilities>(*vulnerability_store_, *feed_store_,
                                                                *feed_listener_, codes_);
    notification_store_ = std::make_unique<storage::NotificationStore>(*pool_);
    notices_ = std::make_unique<notifications::Notices>(*notification_store_, *feed_listener_,
                                                        codes_, *clock_);
    metrics_->SetNoticeBacklog([notices = notices_.get()] {
      std::vector<NoticeBacklogCount> counts;
      for (const storage::NoticeBacklog& backlog : notices->Backlog()) {
        counts.push_back({backlog.level == "NATIONAL" ? "national" : "provincial", backlog.province,
                          backlog.open, backlog.overdue});
      }
      return counts;
    });
    situation_store_ = std::make_unique<storage::SituationStore>(*pool_, feed_horizon_);
    // The overview counts exposed assets against the same known-exploited list as the KEV
    // rule, as reloaded on SIGHUP.
    situation_ = std::make_unique<feeds::Situation>(
        *situation_store_, codes_, *clock_,
        [escalator = escalator_.get()] { return escalator->known_exploited()->SharedCveIds(); });
    situation_compactor_ =
        std::make_unique<feeds::SituationCompactor>(*situation_store_, std::chrono::seconds(1));
    StartGrpc();
    StartHttp();
    if (cluster_) {
      // The embedded cluster is sitrepd's own: nobody else would restart it. An external
      // database (--database-url) is its operator's to restart.
      supervisor_ = std::make_unique<storage::ClusterSupervisor>(
          *cluster_, storage::ClusterSupervisor::Options{.interval = config_.health_interval},
          [metrics = metrics_.get()] { metrics->CountPostgresRestart(); });
    }
    health_ = std::make_unique<HealthMonitor>(
        database_url_, config_.health_interval, [server = grpc_server_.get()](bool serving) {
          server->GetHealthCheckService()->SetServingStatus(serving);
        });
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    Log(LogLevel::kInfo, "server.started",
        {{"listen", config_.listen},
         {"port", std::to_string(port_)},
         {"metrics_port", std::to_string(metrics_->port())},
         {"http_port", std::to_string(http_port())},
         {"database", cluster_ ? "embedded" : "external"},
         {"tls", config_.tls_cert.empty()        ? "off"
                 : config_.tls_client_ca.empty() ? "on"
                                                 : "mutual"},
         {"startup_ms", std::to_string(millis.count())}});
  }

  ~RunningServer() override { Shutdown(); }

  void Shutdown() override {
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
    if (grpc_server_) {
      grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
      grpc_server_->Wait();
    }
    http_.reset();  // after gRPC: its calls in flight have ended
    if (io_queue_) io_queue_->Shutdown();
    if (io_poller_.joinable()) io_poller_.join();
    health_.reset();
    supervisor_.reset();                                // before the cluster stops
    writer_.reset();                                    // its threads use the pool
    audit_writer_.reset();                              // so does its thread
    if (metrics_) metrics_->SetNoticeBacklog(nullptr);  // so do scrapes
    situation_compactor_.reset();                       // so does its thread
    credential_listener_.reset();                       // so do its re-checks
    live_calls_.reset();
    feed_listener_.reset();
    pool_.reset();
    if (cluster_) cluster_->Stop();
    Log(LogLevel::kInfo, "server.stopped", {});
  }

  void Reload() override {
    if (escalator_->Reload()) {
      escalator_->StoreKnownExploited(*pool_);
      escalator_->SweepStoredAssets(*pool_, clock_->Now());
    }
  }

  int port() const override { return port_; }
  int metrics_port() const override { return metrics_ ? metrics_->port() : 0; }
  int http_port() const override { return http_ ? http_->port() : 0; }
  const std::string& database_url() const override { return database_url_; }

 private:
  void PrepareDataDir() {
    std::error_code error;
    fs::create_directories(config_.data_dir, error);
    if (error || ::access(config_.data_dir.c_str(), W_OK) != 0) {
      throw StartupError("data directory " + config_.data_dir.string() + " is not writable");
    }
  }

  void OpenDatabase() {
    if (config_.database_url.empty()) {
      cluster_ =
          storage::EmbeddedCluster::Start({.directory = fs::absolute(config_.data_dir) / "postgres",
                                           .pg_bin_dir = config_.pg_bin_dir});
      database_url_ = cluster_->url();
    } else {
      database_url_ = config_.database_url;
    }
    try {
      const int applied = storage::RunMigrations(WithConnectTimeout(database_url_, 5));
      if (applied > 0)
        Log(LogLevel::kInfo, "migrations.applied", {{"count", std::to_string(applied)}});
    } catch (const storage::Unavailable& error) {
      std::string reason = error.what();
      reason = reason.substr(0, reason.find('\n'));
      throw StartupError("cannot reach PostgreSQL at " + Redacted(database_url_) + ": " + reason);
    }
    WritePrivateFile(config_.data_dir / "database.url", database_url_ + "\n");
  }

  // On the first start against an empty database: one ADMIN principal, its token in
  // <data-dir>/admin.token (mode 0600). The token itself is never logged.
  void BootstrapAdmin() {
    const std::string secret = registry::NewTokenSecret();
    const fs::path token_file = config_.data_dir / "admin.token";
    if (principals_->BootstrapAdmin("admin", registry::Sha256Hex(secret))) {
      WritePrivateFile(token_file, secret + "\n");
      Log(LogLevel::kInfo, "admin.created", {{"token_file", fs::absolute(token_file).string()}});
    }
  }

  // The HTTP edge calls the services through the in-process channel, so every HTTP call runs
  // the same RpcRunner path as a gRPC one (http/edge.h).
  void StartHttp() {
    if (config_.http_listen.empty()) return;
    http::EdgeOptions options;
    options.server.listen = config_.http_listen;
    if (!config_.tls_cert.empty()) {
      options.server.tls_cert_pem = ReadFile(config_.tls_cert);
      options.server.tls_key_pem = ReadFile(config_.tls_key);
    }
    options.server.max_connections = config_.http_max_connections;
    options.server.max_body_bytes = config_.http_max_body_bytes;
    options.server.request_timeout = config_.http_request_timeout;
    options.server.idle_timeout = config_.http_idle_timeout;
    options.console_dir = config_.console_dir;
    options.edge_key = authenticator_->edge_key();
    options.now = [clock = clock_] { return clock->Now(); };
    options.audit = [rpc = rpc_.get()](std::string_view method, int64_t principal_id,
                                       const grpc::Status& status, const std::string& address) {
      rpc->Audit(method, principal_id, status, EdgePeer(address));
    };
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(-1);
    session_store_ = std::make_unique<storage::SessionStore>(*pool_);
    taxii_statuses_ = std::make_unique<storage::TaxiiStatusStore>(*pool_);
    options.taxii_statuses = taxii_statuses_.get();
    try {
      http_ = std::make_unique<http::HttpEdge>(
          std::move(options), grpc_server_->InProcessChannel(arguments), *session_store_,
          [authenticator = authenticator_.get()](
              const std::string& token_sha256) -> std::variant<http::SignedIn, grpc::Status> {
            std::variant<Credential, grpc::Status> found = authenticator->LookupToken(token_sha256);
            if (auto* status = std::get_if<grpc::Status>(&found)) return *status;
            const Credential& credential = std::get<Credential>(found);
            http::SignedIn signed_in;
            signed_in.token_id = credential.token_id;
            signed_in.token_expires_at = credential.expires_at;
            signed_in.principal.set_id(credential.principal.id);
            signed_in.principal.set_name(credential.principal.name);
            signed_in.principal.set_role(credential.principal.role);
            signed_in.principal.set_province(credential.principal.province);
            signed_in.principal.set_enterprise_id(credential.principal.enterprise_id);
            return signed_in;
          });
    } catch (const std::exception& error) {
      throw StartupError("cannot serve HTTP on " + config_.http_listen + ": " + error.what());
    }
  }

  void StartGrpc() {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    registry_service_ = std::make_unique<RegistryService>(*rpc_, *registry_, *live_calls_);
    ingest_service_ = std::make_unique<IngestService>(*rpc_, *writer_, codes_, *clock_, *metrics_);
    report_service_ = std::make_unique<ReportService>(*rpc_, *reports_);
    feed_service_ = std::make_unique<FeedService>(*rpc_, *feeds_, *situation_, stopping_);
    notification_service_ = std::make_unique<NotificationService>(*rpc_, *notices_, stopping_);
    vulnerability_service_ =
        std::make_unique<VulnerabilityService>(*rpc_, *vulnerabilities_, stopping_);

    grpc::ServerBuilder builder;
    builder.AddListeningPort(config_.listen, credentials_, &port_);
    builder.SetMaxReceiveMessageSize(static_cast<int>(config_.max_message_bytes));
    // gRPC 1.51 applies that limit only to a complete message: the transport grants flow
    // control for the length a message announces, so a peer announcing 200 MiB (no token
    // needed, the method has not run yet) was read in full before being refused. The memory
    // quota bounds what the transports hold in all: beyond it gRPC resets streams (the peer
    // sees RESOURCE_EXHAUSTED) and closes idle connections.
    grpc::ResourceQuota quota("sitrepd");
    quota.Resize(TransportMemoryBytes(config_));
    builder.SetResourceQuota(quota);
    // Per connection, as many concurrent calls as HTTP/2 recommends allowing at least.
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
    // Without this, a second server on a taken port would silently share it (SO_REUSEPORT).
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    // The sync server ends a polling thread when more than MAX_POLLERS (default 2) wait, and
    // starts one when fewer than MIN_POLLERS do: under a steady handful of concurrent calls
    // that was a thread created and destroyed per call (clone, stack faults, a malloc arena).
    // Idle threads keep waiting instead, up to one per database connection.
    builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                                static_cast<int>(config_.db_pool_size));
    builder.RegisterService(registry_service_.get());
    builder.RegisterService(ingest_service_.get());
    builder.RegisterService(report_service_.get());
    builder.RegisterService(feed_service_.get());
    builder.RegisterService(notification_service_.get());
    builder.RegisterService(vulnerability_service_.get());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(std::make_unique<UnparsedRequestInterceptors>(*rpc_));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    // gRPC 1.51 runs a server that has callback methods (IngestService) as a "hybrid": the sync
    // services' queues do no I/O polling of their own, and the callback API's polling threads
    // sleep 100 ms after every second without a callback event. Every unary call arriving
    // then waited for them: one call a second took 100 ms more in the situation and feeds
    // benches. A queue of ours that one thread polls without pause keeps the I/O moving.
    io_queue_ = builder.AddCompletionQueue();
    grpc_server_ = builder.BuildAndStart();
    if (!grpc_server_ || port_ == 0) {
      throw StartupError("cannot listen on " + config_.listen + " (address in use or invalid?)");
    }
    io_poller_ = std::thread([queue = io_queue_.get()] {
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) {
      }  // nothing is ever requested on it: Next only polls, until the queue shuts down
    });
    // NOT_SERVING until the health monitor's first answer says the database is there.
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
  }

  const Config config_;
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  std::unique_ptr<Clock> own_clock_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<storage::EmbeddedCluster> cluster_;
  std::unique_ptr<storage::ClusterSupervisor> supervisor_;  // only with cluster_
  std::string database_url_;
  std::unique_ptr<storage::Pool> pool_;
  ReferenceCodes codes_;
  std::unique_ptr<storage::EnterpriseStore> enterprises_;
  std::unique_ptr<storage::PrincipalStore> principals_;
  std::unique_ptr<storage::AuditStore> audit_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<AuditWriter> audit_writer_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<LiveCalls> live_calls_;
  std::unique_ptr<storage::CredentialListener> credential_listener_;
  std::unique_ptr<RpcRunner> rpc_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<RegistryService> registry_service_;
  std::unique_ptr<escalation::Escalator> escalator_;
  std::unique_ptr<ingest::GroupCommitWriter> writer_;
  std::unique_ptr<ingest::Reports> reports_;
  std::unique_ptr<IngestService> ingest_service_;
  std::unique_ptr<ReportService> report_service_;
  storage::FeedHorizon feed_horizon_;
  std::unique_ptr<storage::FeedStore> feed_store_;
  std::unique_ptr<storage::FeedListener> feed_listener_;
  std::unique_ptr<feeds::Feeds> feeds_;
  std::unique_ptr<storage::SituationStore> situation_store_;
  std::unique_ptr<feeds::Situation> situation_;
  std::unique_ptr<feeds::SituationCompactor> situation_compactor_;
  std::unique_ptr<FeedService> feed_service_;
  std::unique_ptr<storage::VulnerabilityStore> vulnerability_store_;
  std::unique_ptr<feeds::Vulnerabilities> vulnerabilities_;
  std::unique_ptr<VulnerabilityService> vulnerability_service_;
  std::atomic<bool> stopping_{false};  // ends live watches at shutdown
  std::unique_ptr<storage::NotificationStore> notification_store_;
  std::unique_ptr<notifications::Notices> notices_;
  std::unique_ptr<NotificationService> notification_service_;
  std::unique_ptr<grpc::ServerCompletionQueue> io_queue_;  // polled by io_poller_
  std::thread io_poller_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<storage::SessionStore> session_store_;
  std::unique_ptr<storage::TaxiiStatusStore> taxii_statuses_;
  std::unique_ptr<http::HttpEdge> http_;  // destroyed before the server whose channel it uses
  std::unique_ptr<HealthMonitor> health_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<Server> Server::Start(const Config& config, const Clock* clock) {
  RouteProtobufLogToJson();
  try {
    return std::make_unique<RunningServer>(config, clock);
  } catch (const StartupError&) {
    throw;
  } catch (const storage::Unavailable& error) {
    std::string reason = error.what();
    throw StartupError("lost the database while starting: " + reason.substr(0, reason.find('\n')));
  } catch (const std::exception& error) {
    std::string reason = error.what();
    throw StartupError("cannot start: " + reason.substr(0, reason.find('\n')));
  }
}

int RunServer(const Config& config) {
  SetLogLevel(config.log_level);
  // Block the stop signals and SIGHUP in every thread (they inherit this mask) and take them
  // in this one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<Server> server;
  try {
    server = Server::Start(config);
  } catch (const storage::StartupError& error) {
    std::cerr << "sitrepd: " << error.what() << "\n";
    return 1;
  }
  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    Log(LogLevel::kInfo, "server.reloading", {{"signal", "SIGHUP"}});
    server->Reload();
  }
  Log(LogLevel::kInfo, "server.stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  server->Shutdown();
  return 0;
}

}  // namespace sitrep
