#include "http/http_server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace sitrep::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// A stream whose client reads nothing is closed once this much waits to be written.
constexpr size_t kMaxQueuedStreamBytes = 4 << 20;

Response ErrorResponse(bhttp::status status, const std::string& code, const std::string& message) {
  Response response(status, 11);
  response.set(bhttp::field::content_type, "application/json");
  response.body() = "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
  return response;
}

tcp::endpoint ParseEndpoint(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("expected host:port, got " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  const net::ip::address address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, error);
  if (error) throw std::runtime_error("not an IP address: " + host);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    throw std::runtime_error("not a port: " + listen.substr(colon + 1));
  }
  if (port < 0 || port > 65535) throw std::runtime_error("not a port: " + std::to_string(port));
  return {address, static_cast<unsigned short>(port)};
}

}  // namespace

struct HttpServer::State {
  // Declared before the io_context: connections still queued in it at destruction use them.
  ServerOptions options;
  Handler handler;
  std::atomic<size_t> connections{0};
  std::optional<net::ssl::context> ssl;
  net::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
};

namespace {

// One client connection: reads requests one at a time, hands each to the handler and writes
// its answer. Every member is touched only on the connection's strand.
template <bool kTls>
class Connection final : public Exchange, public std::enable_shared_from_this<Connection<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  Connection(tcp::socket&& socket, HttpServer::State& state)
      : state_(state), stream_(MakeStream(std::move(socket), state)) {
    boost::system::error_code error;
    const tcp::endpoint remote = Lowest().socket().remote_endpoint(error);
    if (!error) peer_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  }

  ~Connection() override { state_.connections.fetch_sub(1); }

  void Start() {
    net::dispatch(Lowest().get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->state_.options.request_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server,
                                      [self](beast::error_code error) {
                                        if (error) return self->Close();
                                        self->ReadRequest();
                                      });
      } else {
        self->ReadRequest();
      }
    });
  }

  void Reply(Response response) override {
    net::dispatch(Lowest().get_executor(),
                  [self = this->shared_from_this(), response = std::move(response)]() mutable {
                    self->WriteReply(std::move(response));
                  });
  }

  void StartStream(Response head, std::chrono::milliseconds heartbeat) override {
    net::dispatch(Lowest().get_executor(),
                  [self = this->shared_from_this(), head = std::move(head), heartbeat]() mutable {
                    if (self->closed_) return;
                    self->streaming_ = true;
                    std::ostringstream text;
                    head.keep_alive(false);
                    head.set(bhttp::field::connection, "close");
                    head.set(bhttp::field::cache_control, "no-cache");
                    text << head.base();
                    self->Enqueue(text.str());
                    self->heartbeat_ = heartbeat;
                    self->ArmHeartbeat();
                  });
  }

  void Send(std::string chunk) override {
    net::dispatch(Lowest().get_executor(),
                  [self = this->shared_from_this(), chunk = std::move(chunk)]() mutable {
                    self->Enqueue(std::move(chunk));
                  });
  }

  void End() override {
    net::dispatch(Lowest().get_executor(), [self = this->shared_from_this()] {
      self->ending_ = true;
      if (self->queue_.empty()) self->Close();
    });
  }

  void OnClosed(std::function<void()> on_closed) override {
    net::dispatch(Lowest().get_executor(),
                  [self = this->shared_from_this(), on_closed = std::move(on_closed)]() mutable {
                    if (self->closed_) {
                      on_closed();
                    } else {
                      self->on_closed_.push_back(std::move(on_closed));
                    }
                  });
  }

  const std::string& peer() const override { return peer_; }
  bool tls() const override { return kTls; }

 private:
  static Stream MakeStream(tcp::socket&& socket, HttpServer::State& state) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *state.ssl);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits for a request's first bytes up to the idle timeout, then gives the whole request
  // the request timeout: a slow client cannot keep a half-sent request open for long.
  void ReadRequest() {
    if (closed_) return;
    head_ = false;  // until a HEAD request is read
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_.options.max_header_bytes));
    parser_->body_limit(state_.options.max_body_bytes);
    if (buffer_.size() > 0) return ReadRest();
    Lowest().expires_after(state_.options.idle_timeout);
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = this->shared_from_this()](beast::error_code error, size_t) {
                             if (error) return self->ReadFailed(error);
                             if (self->parser_->is_done()) return self->Dispatch();
                             self->ReadRest();
                           });
  }

  void ReadRest() {
    Lowest().expires_after(state_.options.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code error, size_t) {
                        if (error) return self->ReadFailed(error);
                        self->Dispatch();
                      });
  }

  void ReadFailed(beast::error_code error) {
    keep_alive_ = false;
    if (error == bhttp::error::body_limit) {
      return WriteReply(ErrorResponse(
          bhttp::status::bad_request, "invalid_argument",
          "the request body exceeds " + std::to_string(state_.options.max_body_bytes) + " bytes"));
    }
    if (error == bhttp::error::header_limit) {
      return WriteReply(
          ErrorResponse(bhttp::status::request_header_fields_too_large, "invalid_argument",
                        "the request's header exceeds " +
                            std::to_string(state_.options.max_header_bytes) + " bytes"));
    }
    if (error.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        error != bhttp::error::end_of_stream && error != bhttp::error::partial_message) {
      return WriteReply(
          ErrorResponse(bhttp::status::bad_request, "invalid_argument", "malformed HTTP request"));
    }
    Close();  // timeout, the client left, or the server stops
  }

  void Dispatch() {
    Lowest().expires_never();  // the handler's own deadline bounds the wait for its answer
    Request request = parser_->release();
    keep_alive_ = request.keep_alive();
    head_ = request.method() == bhttp::verb::head;
    state_.handler(std::move(request), this->shared_from_this());
  }

  void WriteReply(Response response) {
    if (closed_ || streaming_) return;
    response.keep_alive(keep_alive_);
    response.prepare_payload();
    // A HEAD answer carries the length of the body a GET would get, and no body (RFC 9110
    // §9.3.2): every handler answers HEAD as GET, and this one place drops the body.
    if (head_) response.body().clear();
    auto message = std::make_shared<Response>(std::move(response));
    Lowest().expires_after(state_.options.request_timeout);
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message](beast::error_code error, size_t) {
                         if (error || !self->keep_alive_) return self->Close();
                         self->ReadRequest();
                       });
  }

  void Enqueue(std::string chunk) {
    if (closed_ || !streaming_) return;
    queued_bytes_ += chunk.size();
    if (queued_bytes_ > kMaxQueuedStreamBytes) return Close();
    queue_.push_back(std::move(chunk));
    if (queue_.size() == 1) WriteNext();
  }

  void WriteNext() {
    Lowest().expires_after(state_.options.request_timeout);
    net::async_write(stream_, net::buffer(queue_.front()),
                     [self = this->shared_from_this()](beast::error_code error, size_t) {
                       if (error) return self->Close();
                       self->queued_bytes_ -= self->queue_.front().size();
                       self->queue_.pop_front();
                       if (!self->queue_.empty()) return self->WriteNext();
                       self->Lowest().expires_never();
                       if (self->ending_) self->Close();
                     });
  }

  void ArmHeartbeat() {
    if (closed_) return;
    if (!heartbeat_timer_) heartbeat_timer_.emplace(Lowest().get_executor());
    heartbeat_timer_->expires_after(heartbeat_);
    heartbeat_timer_->async_wait([self = this->shared_from_this()](beast::error_code error) {
      if (error || self->closed_) return;
      self->Enqueue(": ping\n\n");
      self->ArmHeartbeat();
    });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if (heartbeat_timer_) heartbeat_timer_->cancel();
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
    std::vector<std::function<void()>> callbacks;
    callbacks.swap(on_closed_);
    for (auto& callback : callbacks) callback();
  }

  HttpServer::State& state_;
  Stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = false;
  bool head_ = false;  // the request being answered is a HEAD
  bool closed_ = false;
  bool streaming_ = false;
  bool ending_ = false;
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  std::chrono::milliseconds heartbeat_{15'000};
  std::optional<net::steady_timer> heartbeat_timer_;
  std::vector<std::function<void()>> on_closed_;
};

void Accept(HttpServer::State& state) {
  state.acceptor.async_accept(
      net::make_strand(state.io), [&state](beast::error_code error, tcp::socket socket) {
        if (state.stopped.load()) return;
        if (!error) {
          if (state.connections.fetch_add(1) >= state.options.max_connections) {
            state.connections.fetch_sub(1);
            beast::error_code ignored;
            socket.close(ignored);  // at the cap: refused before any byte is read
          } else if (state.ssl) {
            std::make_shared<Connection<true>>(std::move(socket), state)->Start();
          } else {
            std::make_shared<Connection<false>>(std::move(socket), state)->Start();
          }
        }
        Accept(state);
      });
}

}  // namespace

HttpServer::HttpServer(const ServerOptions& options, Handler handler)
    : state_(std::make_shared<State>()) {
  state_->options = options;
  state_->handler = std::move(handler);
  if (!options.tls_cert_pem.empty()) {
    state_->ssl.emplace(net::ssl::context::tls_server);
    state_->ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                             net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                             net::ssl::context::no_tlsv1_1);
    boost::system::error_code error;
    state_->ssl->use_certificate_chain(net::buffer(options.tls_cert_pem), error);
    if (!error) {
      state_->ssl->use_private_key(net::buffer(options.tls_key_pem), net::ssl::context::pem, error);
    }
    if (error) throw std::runtime_error("unusable TLS certificate or key: " + error.message());
  }
  const tcp::endpoint endpoint = ParseEndpoint(options.listen);
  boost::system::error_code error;
  state_->acceptor.open(endpoint.protocol(), error);
  if (!error) state_->acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) state_->acceptor.bind(endpoint, error);
  if (!error) state_->acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) throw std::runtime_error(error.message());
  Accept(*state_);
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    state_->threads.emplace_back([state = state_.get()] { state->io.run(); });
  }
}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const {
  boost::system::error_code error;
  const tcp::endpoint endpoint = state_->acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

void HttpServer::Stop() {
  if (state_->stopped.exchange(true)) return;
  net::post(state_->io, [state = state_.get()] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
  state_->io.stop();
  for (std::thread& thread : state_->threads) thread.join();
  state_->threads.clear();
}

}  // namespace sitrep::http
