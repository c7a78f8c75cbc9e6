#include "cli/enum_words.h"

#include <CLI/CLI.hpp>
#include <cctype>

namespace sitrep::cli {
namespace {

std::string ToUpperSnake(std::string_view camel) {
  std::string snake;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(camel[i]);
    if (i > 0 && std::isupper(c) && !std::isupper(static_cast<unsigned char>(camel[i - 1]))) {
      snake += '_';
    }
    snake += static_cast<char>(std::toupper(c));
  }
  return snake;
}

// The API's style guide names the zero value <PREFIX>UNSPECIFIED; when an enum follows it, that
// is the most reliable source of the prefix (it survives renaming the enum type).
std::string ValuePrefix(const google::protobuf::EnumDescriptor& type) {
  const google::protobuf::EnumValueDescriptor* zero = type.FindValueByNumber(0);
  constexpr std::string_view kUnspecified = "UNSPECIFIED";
  if (zero != nullptr && zero->name().size() >= kUnspecified.size() &&
      zero->name().compare(zero->name().size() - kUnspecified.size(), kUnspecified.size(),
                           kUnspecified) == 0) {
    return zero->name().substr(0, zero->name().size() - kUnspecified.size());
  }
  return ToUpperSnake(type.name()) + "_";
}

bool IsUnspecified(const google::protobuf::EnumValueDescriptor& value) {
  return value.number() == 0 && value.name() == ValuePrefix(*value.type()) + "UNSPECIFIED";
}

std::string WordOf(const google::protobuf::EnumValueDescriptor& value) {
  const std::string prefix = ValuePrefix(*value.type());
  std::string word = value.name();
  if (word.size() > prefix.size() && word.compare(0, prefix.size(), prefix) == 0) {
    word.erase(0, prefix.size());
  }
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

std::string Normalized(std::string_view word) {
  std::string normalized;
  for (const char c : word) {
    normalized += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return normalized;
}

}  // namespace

std::string EnumWord(const google::protobuf::EnumDescriptor& type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByNumber(number);
  return value == nullptr ? std::to_string(number) : WordOf(*value);
}

std::optional<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                 std::string_view word) {
  const std::string wanted = Normalized(word);
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor& value = *type.value(i);
    if (IsUnspecified(value)) continue;
    if (wanted == WordOf(value) || wanted == Normalized(value.name())) return value.number();
  }
  return std::nullopt;
}

std::vector<std::string> EnumWords(const google::protobuf::EnumDescriptor& type) {
  std::vector<std::string> words;
  for (int i = 0; i < type.value_count(); ++i) {
    if (!IsUnspecified(*type.value(i))) words.push_back(WordOf(*type.value(i)));
  }
  return words;
}

std::string UnknownEnumWordMessage(const google::protobuf::EnumDescriptor& type,
                                   std::string_view word) {
  std::string message = "unknown word '" + std::string(word) + "'; valid words:";
  const std::vector<std::string> words = EnumWords(type);
  for (std::size_t i = 0; i < words.size(); ++i) {
    message += (i == 0 ? " " : ", ") + words[i];
  }
  return message;
}

CLI::Validator EnumWordValidator(const google::protobuf::EnumDescriptor& type) {
  return CLI::Validator(
      [&type](std::string& input) -> std::string {
        const std::optional<int> number = ParseEnumWord(type, input);
        if (!number) return UnknownEnumWordMessage(type, input);
        input = std::to_string(*number);
        return std::string();
      },
      // No description: AddEnumOption shows the words in place of the type name ("INT").
      std::string());
}

CLI::Option* AddEnumOption(CLI::App& command, const std::string& name,
                           const google::protobuf::EnumDescriptor& type, int& number,
                           const std::string& help) {
  std::string words;
  for (const std::string& word : EnumWords(type)) words += (words.empty() ? "" : "|") + word;
  return command.add_option(name, number, help)
      ->transform(EnumWordValidator(type))
      ->type_name(words);
}

CLI::Option* AddEnumListOption(CLI::App& command, const std::string& name,
                               const google::protobuf::EnumDescriptor& type,
                               std::vector<int>& numbers, const std::string& help) {
  std::string words;
  for (const std::string& word : EnumWords(type)) words += (words.empty() ? "" : "|") + word;
  return command.add_option(name, numbers, help)
      ->transform(EnumWordValidator(type))
      ->type_name(words)
      ->delimiter(',');
}

}  // namespace sitrep::cli
