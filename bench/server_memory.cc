#include "bench/server_memory.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>

#include "bench/prometheus_text.h"

namespace sitrep::bench {
namespace {

// Closes a socket when it goes out of scope.
class Socket final {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

}  // namespace

std::optional<std::string> HttpGet(const std::string& address, std::string_view path,
                                   std::chrono::milliseconds timeout) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:9464
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return std::nullopt;
  std::optional<Socket> socket;
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    socket.emplace(::socket(candidate->ai_family, candidate->ai_socktype, candidate->ai_protocol));
    if (socket->fd() < 0) continue;
    // On Linux the send timeout bounds connect() too.
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    ::setsockopt(socket->fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(socket->fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    if (::connect(socket->fd(), candidate->ai_addr, candidate->ai_addrlen) == 0) break;
    socket.reset();
  }
  ::freeaddrinfo(found);
  if (!socket) return std::nullopt;

  // HTTP/1.0: the server closes the connection after the answer, so the body ends at EOF
  // and neither chunked encoding nor keep-alive needs handling.
  const std::string request =
      "GET " + std::string(path) + " HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
  if (!SendAll(socket->fd(), request)) return std::nullopt;
  std::string response;
  char buffer[16384];
  for (;;) {
    const ssize_t received = ::recv(socket->fd(), buffer, sizeof buffer, 0);
    if (received < 0) return std::nullopt;
    if (received == 0) break;
    response.append(buffer, static_cast<size_t>(received));
  }
  // "HTTP/1.x 200 OK\r\n…\r\n\r\n<body>"
  const size_t status_start = response.find(' ');
  if (status_start == std::string::npos || response.compare(status_start + 1, 3, "200") != 0) {
    return std::nullopt;
  }
  const size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return std::nullopt;
  return response.substr(body + 4);
}

ResidentMemoryPeak::ResidentMemoryPeak(std::string address, std::chrono::milliseconds interval)
    : address_(std::move(address)), interval_(interval), thread_([this] { Run(); }) {}

ResidentMemoryPeak::~ResidentMemoryPeak() {
  if (thread_.joinable()) (void)Stop();
}

std::optional<double> ResidentMemoryPeak::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
  Sample();
  std::lock_guard lock(mu_);
  return peak_;
}

void ResidentMemoryPeak::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    Sample();
    lock.lock();
    stop_requested_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void ResidentMemoryPeak::Sample() {
  const std::optional<std::string> exposition = HttpGet(address_, "/metrics", interval_ * 5);
  if (!exposition) return;
  const std::optional<double> rss = ParseSampleValue(*exposition, "process_resident_memory_bytes");
  if (!rss) return;
  std::lock_guard lock(mu_);
  peak_ = peak_ ? std::max(*peak_, *rss) : *rss;
}

}  // namespace sitrep::bench
