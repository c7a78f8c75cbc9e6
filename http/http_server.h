#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace sitrep::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// The bounds that keep one client from holding more than its share: every connection is a
// few kilobytes on a fixed pool of I/O threads, never a thread of its own.
struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  std::string tls_cert_pem, tls_key_pem;  // both set: HTTPS only
  size_t max_connections = 512;           // beyond: new connections are closed at once
  size_t max_header_bytes = 16 << 10;     // beyond: 431, connection closed
  size_t max_body_bytes = 4 << 20;        // beyond: 400, connection closed
  // From a request's first byte to its last, and for each write of an answer.
  std::chrono::milliseconds request_timeout{10'000};
  // A kept-alive connection without a request in progress is closed after this.
  std::chrono::milliseconds idle_timeout{60'000};
  int threads = 2;
};

// The answer side of one request. Thread-safe: the handler answers from whichever thread its
// work finishes on; every call is carried onto the connection's own strand.
class Exchange {
 public:
  virtual ~Exchange() = default;
  // Sends `response` (its length is set here); the connection then reads the next request.
  virtual void Reply(Response response) = 0;
  // An open-ended answer (Server-Sent Events): `head` goes out without a length, then each
  // Send in order, until End; the connection closes after it. Comment lines (": ping") are
  // sent every `heartbeat` so that proxies keep the connection open.
  virtual void StartStream(Response head, std::chrono::milliseconds heartbeat) = 0;
  virtual void Send(std::string chunk) = 0;
  virtual void End() = 0;
  // `on_closed` runs once when the connection closes for any reason (client gone, timeout,
  // End, server stop); runs at once if it is already closed.
  virtual void OnClosed(std::function<void()> on_closed) = 0;
  [[nodiscard]] virtual const std::string& peer() const = 0;  // "address:port"
  [[nodiscard]] virtual bool tls() const = 0;
};

using Handler = std::function<void(Request&& request, std::shared_ptr<Exchange> exchange)>;

// An HTTP/1.1 server (Boost.Beast, asynchronous) calling `handler` for each request.
class HttpServer final {
 public:
  // Binds and starts serving; throws std::runtime_error when the address cannot be bound or
  // the TLS files are unusable.
  HttpServer(const ServerOptions& options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] int port() const;
  // Stops accepting, closes every connection and joins the I/O threads. Idempotent.
  void Stop();

  struct State;  // http_server.cc: shared with the connections

 private:
  std::shared_ptr<State> state_;
};

}  // namespace sitrep::http
