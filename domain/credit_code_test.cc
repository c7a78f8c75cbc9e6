#include "domain/credit_code.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

// Published codes of real enterprises (their public business registrations).
TEST(CreditCodeTest, AcceptsPublishedCodes) {
  EXPECT_TRUE(IsValidCreditCode("91350100M000100Y43"));
  EXPECT_TRUE(IsValidCreditCode("91110000600037341L"));
}

TEST(CreditCodeTest, RejectsWrongCheckCharacter) {
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y44"));
}

TEST(CreditCodeTest, RejectsWrongLengthAndAlphabet) {
  EXPECT_FALSE(IsValidCreditCode(""));
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y4"));
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y433"));
  EXPECT_FALSE(IsValidCreditCode("91350100I000100Y43"));  // I is not in the alphabet
  EXPECT_FALSE(IsValidCreditCode("91350100m000100Y43"));  // lower case is not either
}

TEST(CreditCodeTest, CheckCharacterCompletesAValidCode) {
  const std::string first17 = "91440300MA5ABCDE1";
  const std::optional<char> check = CreditCodeCheckCharacter(first17);
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(IsValidCreditCode(first17 + *check));
  EXPECT_FALSE(CreditCodeCheckCharacter("91440300MA5ABCDEI").has_value());
}

}  // namespace
}  // namespace sitrep
