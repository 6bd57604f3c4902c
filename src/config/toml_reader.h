// TableReader: typed, validating access to one toml++ table, used by the config parsers.
//
// Each accessor reads one key, checks its type and range, and on failure records an error (the
// first one wins) formatted "<source>:<line>: <path.key>: <what>". Every key asked for, present or
// not, becomes "known"; Finish() then reports the first key of the table that was never asked for
// as an unknown field with a "did you mean" suggestion (so a typo of a required field is reported
// as the typo, not as a missing field), else the first recorded error.
//
// Internal to depin_node. Not thread-safe; one reader per table per parse.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace depin::config::internal {

// "<source>:<line>: <field>: <message>"
util::Status ConfigError(std::string_view source, uint32_t line, std::string_view field,
                         std::string_view message);
uint32_t LineOf(const toml::node& node);

class TableReader {
 public:
  // `path` is the dotted path of this table ("" for the root); `source` the file name.
  TableReader(const toml::table& table, std::string path, std::string_view source);

  // Accessors return true when the value was present and valid, false otherwise (absent
  // optional values leave *out unchanged and record no error).
  bool String(std::string_view key, std::string* out, bool required);
  // A non-negative TOML integer or a string of decimal digits (for values above 2^63).
  bool Uint(std::string_view key, uint64_t* out, bool required, uint64_t min = 0,
            uint64_t max = std::numeric_limits<uint64_t>::max());
  bool Bool(std::string_view key, bool* out, bool required);
  // A duration string ("30s", "24h") or an integer number of seconds; must be > 0.
  bool Duration(std::string_view key, uint64_t* seconds, bool required);
  // A TOML offset date-time (RFC 3339, e.g. 2026-12-06T03:18:41Z) as Unix milliseconds; a local
  // date-time (no offset) or a time before 1970 is an error.
  bool Timestamp(std::string_view key, int64_t* unix_ms, bool required);
  // An exact decimal string scaled by 10^scale_digits; TOML floats are refused (not exact).
  bool Decimal(std::string_view key, uint32_t scale_digits, uint64_t* out, bool required);
  // An array of strings; `lines` (optional) receives each element's line.
  bool StringArray(std::string_view key, std::vector<std::string>* out, bool required,
                   std::vector<uint32_t>* lines = nullptr);
  const toml::table* Table(std::string_view key, bool required);
  // Marks `key` as known without reading it (it is read by another reader later).
  void Declare(std::string_view key) { known_.emplace(key); }
  // An array whose elements are all tables (TOML [[key]]).
  const toml::array* TableArray(std::string_view key, bool required);

  // Records an error about `key` at `line` (0: the key's own line, else the table's).
  void Fail(std::string_view key, std::string_view message, uint32_t line = 0);
  // Dotted path of `key` in this table, e.g. "rewards.pools[1].share".
  std::string FieldPath(std::string_view key) const;
  // Line of `key`'s value if present, else of the table.
  uint32_t KeyLine(std::string_view key) const;
  uint32_t table_line() const { return LineOf(table_); }
  std::string_view source() const { return source_; }
  bool failed() const { return !first_error_.ok(); }

  // Unknown keys first, then the first recorded error; OK when neither.
  util::Status Finish() const;

 private:
  const toml::node* Get(std::string_view key, bool required);
  void Expected(std::string_view key, std::string_view what);

  const toml::table& table_;
  std::string path_;
  std::string_view source_;
  std::set<std::string, std::less<>> known_;
  util::Status first_error_;
};

}  // namespace depin::config::internal
