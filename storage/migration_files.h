#pragma once

#include <span>
#include <string_view>

namespace sitrep::storage {

// One file of storage/migrations/, compiled in by embed_migrations.cmake.
struct MigrationFile {
  int version;            // NNNN of NNNN_what.sql
  std::string_view name;  // "NNNN_what"
  std::string_view sql;   // the file's text
};

// Every migration, in ascending version order.
[[nodiscard]] std::span<const MigrationFile> CompiledMigrations();

}  // namespace sitrep::storage
