#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "domain/principal.h"

namespace pqxx {
class transaction_base;
}

namespace sitrep::storage {

class Pool;

// One transaction, as the domain sees it: a handle it receives from InTransaction and passes to
// storage functions, which are the only ones to run SQL on it. Not copyable; lives as long as
// the body it is handed to.
class Tx final {
 public:
  // Internal to storage/: wraps a running libpqxx transaction.
  explicit Tx(pqxx::transaction_base& sql) : sql_(sql) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  // Internal to storage/ (its .cc files include libpqxx).
  [[nodiscard]] pqxx::transaction_base& sql() const { return sql_; }

 private:
  pqxx::transaction_base& sql_;
};

// Runs `body` in one transaction on a pooled connection as `caller` and commits, with the retries
// and error translation of storage/transaction.h's runner; the type-erased door of the template
// below.
void RunInTx(Pool& pool, const Principal& caller, const std::function<void(Tx&)>& body);

// Runs `body(tx)` in one transaction as `caller` and commits; returns what the body returns.
// A retried transaction runs the body again from the start, so the body keeps its effects in its
// result. Throws only when PostgreSQL fails.
template <class Body>
requires std::is_invocable_v<Body&, Tx&>
auto InTransaction(Pool& pool, const Principal& caller, Body&& body) {
  using Result = std::invoke_result_t<Body&, Tx&>;
  if constexpr (std::is_void_v<Result>) {
    RunInTx(pool, caller, [&](Tx& tx) { body(tx); });
  } else {
    std::optional<Result> result;
    RunInTx(pool, caller, [&](Tx& tx) { result.emplace(body(tx)); });
    return std::move(*result);
  }
}

// Sets `caller`'s row-level-security settings for the rest of `tx` (SET LOCAL): a transaction
// that writes for several callers in turn (the group-commit writer) sets each before its rows.
void SetCaller(Tx& tx, const Principal& caller);

// What became of a statement that failed, for a writer deciding whether to bisect or retry.
enum class FailureKind {
  kRefusedData,  // PostgreSQL refused a value or row (SQLSTATE classes 22, 23): one record can
  kStatement,    // another statement failure; the connection is fine
  kOther,        // the connection, the server or anything else
};
[[nodiscard]] FailureKind ClassifyFailure(const std::exception_ptr& error);

}  // namespace sitrep::storage
