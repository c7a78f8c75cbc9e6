#pragma once

#include <span>
#include <string_view>

namespace sitrep::storage {

// The schema version storage/schema/ stands for before any numbered migration: a fresh database
// runs the family files and is stamped with it (and with every migration, which the family files
// already contain). Migrations are numbered above it.
inline constexpr int kBaselineVersion = 27;

// One file of storage/schema/ (a table family, "NN_family"), compiled in by
// embed_migrations.cmake.
struct SchemaFile {
  std::string_view name;  // "NN_family"
  std::string_view sql;   // the file's text
};

// One file of storage/migrations/, compiled in by embed_migrations.cmake.
struct MigrationFile {
  int version;            // NNNN of NNNN_what.sql, above kBaselineVersion
  std::string_view name;  // "NNNN_what"
  std::string_view sql;   // the file's text
};

// Every table family, in the order a fresh database runs them.
[[nodiscard]] std::span<const SchemaFile> CompiledSchema();

// Every migration, in ascending version order.
[[nodiscard]] std::span<const MigrationFile> CompiledMigrations();

}  // namespace sitrep::storage
