// Result<T>: either a value of type T or a non-OK Status (std::expected is C++23; this is ours).
//
//   Result<Config> LoadConfig(const std::string& path);
//   DEPIN_ASSIGN_OR_RETURN(Config config, LoadConfig(path));
//
// Accessing value() of an error Result is a programmer error and aborts.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include "util/status.h"

namespace depin::util {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    CheckOk();
    return *value_;
  }
  const T& value() const& {
    CheckOk();
    return *value_;
  }
  T&& value() && {
    CheckOk();
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void CheckOk() const {
    if (!value_) {
      std::fprintf(stderr, "Result::value() on error: %s\n", status_.ToString().c_str());
      std::abort();
    }
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace depin::util

#define DEPIN_CONCAT_INNER_(a, b) a##b
#define DEPIN_CONCAT_(a, b) DEPIN_CONCAT_INNER_(a, b)
#define DEPIN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
// Evaluates `expr` (a Result<T>); on error returns its Status, else assigns the value to `lhs`.
#define DEPIN_ASSIGN_OR_RETURN(lhs, expr) \
  DEPIN_ASSIGN_OR_RETURN_IMPL_(DEPIN_CONCAT_(depin_result_, __LINE__), lhs, expr)
