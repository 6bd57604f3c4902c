// Fields: typed, validating access to one table of a scenario file (internal to depin_twin).
// Every accessor reads one key, checks type and range, and records the first error as
// "<source>:<line>: <path.key>: <what>"; Finish() reports a key that was never asked for as an
// unknown field (with the nearest known name), else the first recorded error. It mirrors the
// node's config reader (node/toml_reader.h), which is private to depin_node; when issue 14's
// config layer exports one reader, the twin should use it. Not thread-safe; one per table.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "twin/scenario.h"
#include "util/status.h"

namespace depin::twin::internal {

uint32_t LineOf(const toml::node& node);

class Fields {
 public:
  Fields(const toml::table& table, std::string path, std::string_view source)
      : table_(table), path_(std::move(path)), source_(source) {}

  bool String(std::string_view key, std::string* out, bool required);
  // A non-negative integer in [min, max].
  bool Uint(std::string_view key, uint64_t* out, bool required, uint64_t min = 0,
            uint64_t max = UINT64_MAX);
  // An exact decimal string (or an integer) scaled by 10^digits, in [min, max]; floats refused.
  bool Decimal(std::string_view key, uint32_t digits, uint64_t* out, bool required,
               uint64_t min = 0, uint64_t max = UINT64_MAX);
  bool SignedDecimal(std::string_view key, uint32_t digits, int64_t* out, bool required);
  // A two-element array [lo, hi] of non-negative integers with lo <= hi.
  bool UintRange(std::string_view key, Range* out, bool required, uint64_t max = UINT64_MAX);
  // [[key]] shocks: { epoch = N, factor = "0.5" }.
  bool Shocks(std::string_view key, std::vector<Shock>* out);
  const toml::table* Table(std::string_view key);

  void Fail(std::string_view key, std::string_view message);
  std::string FieldPath(std::string_view key) const;
  uint32_t KeyLine(std::string_view key) const;
  util::Status Finish() const;

 private:
  const toml::node* Get(std::string_view key, bool required);

  const toml::table& table_;
  std::string path_;
  std::string_view source_;
  std::set<std::string, std::less<>> known_;
  util::Status first_error_;
};

}  // namespace depin::twin::internal
