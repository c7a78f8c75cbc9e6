#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

namespace sitrep::cli {

// Words for proto enum values, derived from the descriptors so that every enum of the API gets
// them without a table: the value name without the enum's prefix, in lower case
// (ROLE_PROVINCIAL -> "provincial", ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL ->
// "networked_industrial"). The prefix is the part of the *_UNSPECIFIED value's name before
// "UNSPECIFIED", or else the enum's name in UPPER_SNAKE case.

// Returns the word for `number`; its decimal digits when the enum has no such value.
[[nodiscard]] std::string EnumWord(const google::protobuf::EnumDescriptor& type, int number);

template <typename Enum>
[[nodiscard]] std::string EnumWord(Enum value) {
  return EnumWord(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// Returns the number a word names, or nullopt. Matching ignores case, accepts '-' for '_' and
// also accepts the full value name (e.g. "ROLE_PROVINCIAL"); the *_UNSPECIFIED value is never
// named by a word.
[[nodiscard]] std::optional<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                               std::string_view word);

// Returns the words of every value except *_UNSPECIFIED, in declaration order.
[[nodiscard]] std::vector<std::string> EnumWords(const google::protobuf::EnumDescriptor& type);

// Returns the error line for a word that names no value, listing the valid words.
[[nodiscard]] std::string UnknownEnumWordMessage(const google::protobuf::EnumDescriptor& type,
                                                 std::string_view word);

// A CLI11 transform that turns a word into its number (so the option can store an int) and
// rejects unknown words with UnknownEnumWordMessage(). `type` must outlive the validator
// (generated descriptors live as long as the program).
[[nodiscard]] CLI::Validator EnumWordValidator(const google::protobuf::EnumDescriptor& type);

// Adds option `name` to `command` taking a word of `type` and storing its number in `number`
// (which must outlive parsing); the help shows the words as "word1|word2|...".
CLI::Option* AddEnumOption(CLI::App& command, const std::string& name,
                           const google::protobuf::EnumDescriptor& type, int& number,
                           const std::string& help);

// The same for a repeatable option (also comma-separated), storing the numbers in `numbers`.
CLI::Option* AddEnumListOption(CLI::App& command, const std::string& name,
                               const google::protobuf::EnumDescriptor& type,
                               std::vector<int>& numbers, const std::string& help);

}  // namespace sitrep::cli
