// TLS and mutual TLS are configuration (issue #2): throwaway certificates made with openssl.
#include <gtest/gtest.h>

#include <cstdlib>

#include "storage/embedded_cluster.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class TlsTest : public ServerFixture {
 protected:
  TlsTest() { start_in_setup_ = false; }

  static void SetUpTestSuite() {
    certs_ = new std::filesystem::path(MakeTempDir("sitrep-certs-"));
    const std::string script = "set -e; cd '" + certs_->string() + "'\n" + R"(
      ext() { printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext; }
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
        -subj '/CN=sitrep test CA' 2>/dev/null
      for who in server client; do
        openssl req -newkey rsa:2048 -nodes -keyout $who.key -out $who.csr \
          -subj "/CN=$who" 2>/dev/null
        ext
        openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
          -out $who.pem -days 2 -extfile san.ext 2>/dev/null
      done
      # A second CA whose certificates the server must not accept.
      openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 2 \
        -subj '/CN=rogue' 2>/dev/null
    )";
    ASSERT_EQ(std::system(("bash -c \"" + Escape(script) + "\"").c_str()), 0);
  }

  static void TearDownTestSuite() {
    std::filesystem::remove_all(*certs_);
    delete certs_;
  }

  static std::string Escape(const std::string& text) {
    std::string escaped;
    for (const char c : text) {
      if (c == '"' || c == '\\' || c == '$' || c == '`') escaped += '\\';
      escaped += c;
    }
    return escaped;
  }

  static std::string Cert(const std::string& name) { return ReadText(*certs_ / name); }

  // ListEnterprises as the admin over a TLS channel with the given client certificate.
  grpc::Status CallWith(const std::string& client_key, const std::string& client_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Cert("ca.pem");
    options.pem_private_key = client_key;
    options.pem_cert_chain = client_cert;
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->port()),
                                             grpc::SslCredentials(options), args);
    auto stub = v1::RegistryService::NewStub(channel);
    v1::ListEnterprisesResponse response;
    return stub->ListEnterprises(As(admin_token_).get(), {}, &response);
  }

  grpc::Status CallInPlaintext() {
    v1::ListEnterprisesResponse response;
    return registry_->ListEnterprises(As(admin_token_).get(), {}, &response);
  }

  static std::filesystem::path* certs_;
};

std::filesystem::path* TlsTest::certs_ = nullptr;

TEST_F(TlsTest, ServesTlsAndRefusesPlaintext) {
  config_.tls_cert = *certs_ / "server.pem";
  config_.tls_key = *certs_ / "server.key";
  StartServer();
  const grpc::Status tls = CallWith("", "");
  EXPECT_TRUE(tls.ok()) << tls.error_message();
  EXPECT_EQ(CallInPlaintext().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromTheCa) {
  config_.tls_cert = *certs_ / "server.pem";
  config_.tls_key = *certs_ / "server.key";
  config_.tls_client_ca = *certs_ / "ca.pem";
  StartServer();
  const grpc::Status with_cert = CallWith(Cert("client.key"), Cert("client.pem"));
  EXPECT_TRUE(with_cert.ok()) << with_cert.error_message();
  EXPECT_EQ(CallWith("", "").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CallWith(Cert("rogue.key"), Cert("rogue.pem")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// A wrong TLS file stops the start with a sentence naming it (issue 14 item 13), not with
// "cannot listen on …".
TEST_F(TlsTest, WrongKeyOrCertificateFilesAreNamed) {
  const std::filesystem::path server_pem = *certs_ / "server.pem",
                              server_key = *certs_ / "server.key";
  const struct {
    std::filesystem::path cert, key, client_ca;
    std::string message;
  } cases[] = {
      {server_pem, *certs_ / "rogue.key", "",
       "TLS key " + (*certs_ / "rogue.key").string() + " does not match the certificate " +
           server_pem.string()},
      {server_pem, server_pem, "",
       "TLS key " + server_pem.string() + " holds no unencrypted PEM private key"},
      {server_key, server_key, "",
       "TLS certificate " + server_key.string() + " holds no PEM certificate"},
      {server_pem, server_key, server_key,
       "TLS client CA " + server_key.string() + " holds no PEM certificate"},
  };
  for (const auto& row : cases) {
    SCOPED_TRACE(row.message);
    config_.tls_cert = row.cert;
    config_.tls_key = row.key;
    config_.tls_client_ca = row.client_ca;
    try {
      server_ = Server::Start(config_, &clock_);
      ADD_FAILURE() << "the server started";
      server_.reset();
    } catch (const storage::StartupError& error) {
      EXPECT_EQ(std::string(error.what()), row.message);
    }
  }
}

}  // namespace
}  // namespace sitrep::testing
