#include "registry/token_secret.h"

#include <gtest/gtest.h>

#include <set>

namespace sitrep::registry {
namespace {

TEST(TokenSecretTest, SecretsAreLongPrefixedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewTokenSecret();
    EXPECT_EQ(secret.size(), 4u + 43u);  // 32 bytes of base64url
    EXPECT_EQ(secret.rfind("srp_", 0), 0u);
    EXPECT_EQ(secret.find_first_not_of(
                  "srp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
              std::string::npos);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(TokenSecretTest, Sha256HexMatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace sitrep::registry
