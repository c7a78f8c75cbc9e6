#include "cli/enum_words.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "sitrep/v1/common.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

TEST(EnumWordTest, DropsThePrefixAndLowersTheCase) {
  EXPECT_EQ(EnumWord(v1::ROLE_PROVINCIAL), "provincial");
  EXPECT_EQ(EnumWord(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL), "networked_industrial");
  EXPECT_EQ(EnumWord(v1::TLP_AMBER_STRICT), "amber_strict");
  EXPECT_EQ(EnumWord(v1::SEVERITY_II), "ii");
  EXPECT_EQ(EnumWord(v1::ROLE_UNSPECIFIED), "unspecified");
}

TEST(EnumWordTest, UnknownNumberIsShownAsDigits) {
  EXPECT_EQ(EnumWord(*v1::Role_descriptor(), 42), "42");
}

TEST(ParseEnumWordTest, AcceptsWordsInAnyCaseWithHyphensAndFullNames) {
  const auto& role = *v1::Role_descriptor();
  EXPECT_EQ(ParseEnumWord(role, "provincial"), v1::ROLE_PROVINCIAL);
  EXPECT_EQ(ParseEnumWord(role, "Collector"), v1::ROLE_COLLECTOR);
  EXPECT_EQ(ParseEnumWord(role, "ROLE_ADMIN"), v1::ROLE_ADMIN);
  EXPECT_EQ(ParseEnumWord(*v1::Tlp_descriptor(), "amber-strict"), v1::TLP_AMBER_STRICT);
  EXPECT_EQ(ParseEnumWord(*v1::EnterpriseType_descriptor(), "identifier_resolution"),
            v1::ENTERPRISE_TYPE_IDENTIFIER_RESOLUTION);
}

TEST(ParseEnumWordTest, RejectsUnknownWordsAndUnspecified) {
  const auto& role = *v1::Role_descriptor();
  EXPECT_EQ(ParseEnumWord(role, "root"), std::nullopt);
  EXPECT_EQ(ParseEnumWord(role, ""), std::nullopt);
  EXPECT_EQ(ParseEnumWord(role, "unspecified"), std::nullopt);
  EXPECT_EQ(ParseEnumWord(role, "ROLE_UNSPECIFIED"), std::nullopt);
}

TEST(ParseEnumWordTest, EveryWordOfEveryEnumRoundTrips) {
  const google::protobuf::FileDescriptor& file = *v1::Role_descriptor()->file();
  for (int e = 0; e < file.enum_type_count(); ++e) {
    const google::protobuf::EnumDescriptor& type = *file.enum_type(e);
    for (int v = 0; v < type.value_count(); ++v) {
      const int number = type.value(v)->number();
      if (number == 0) continue;
      EXPECT_EQ(ParseEnumWord(type, EnumWord(type, number)), number) << type.value(v)->name();
    }
  }
}

TEST(EnumWordsTest, ListsValidWordsInDeclarationOrder) {
  EXPECT_EQ(EnumWords(*v1::EnterpriseSize_descriptor()),
            (std::vector<std::string>{"large", "medium", "small", "micro"}));
}

TEST(EnumWordsTest, UnknownWordMessageListsTheValidWords) {
  EXPECT_EQ(UnknownEnumWordMessage(*v1::Role_descriptor(), "root"),
            "unknown word 'root'; valid words: admin, national, provincial, enterprise, collector");
}

TEST(EnumWordValidatorTest, TurnsWordsIntoNumbersForCli11) {
  CLI::App app;
  int role = 0;
  app.add_option("--role", role)->transform(EnumWordValidator(*v1::Role_descriptor()));
  app.parse("--role national", false);
  EXPECT_EQ(role, v1::ROLE_NATIONAL);
  try {
    app.parse("--role root", false);
    FAIL() << "no error for an unknown word";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("valid words: admin, national"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sitrep::cli
