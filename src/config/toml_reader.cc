#include "config/toml_reader.h"

#include <algorithm>

#include "config/network_config.h"
#include "util/suggest.h"

namespace depin::config::internal {
namespace {

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date/time";
  }
}

}  // namespace

util::Status ConfigError(std::string_view source, uint32_t line, std::string_view field,
                         std::string_view message) {
  std::string out(source);
  out += ":" + std::to_string(line) + ": ";
  if (!field.empty()) out += std::string(field) + ": ";
  out += message;
  return util::Status::InvalidArgument(out);
}

uint32_t LineOf(const toml::node& node) {
  return std::max<uint32_t>(1, static_cast<uint32_t>(node.source().begin.line));
}

TableReader::TableReader(const toml::table& table, std::string path, std::string_view source)
    : table_(table), path_(std::move(path)), source_(source) {}

std::string TableReader::FieldPath(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return path_ + "." + std::string(key);
}

uint32_t TableReader::KeyLine(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return node ? LineOf(*node) : LineOf(table_);
}

void TableReader::Fail(std::string_view key, std::string_view message, uint32_t line) {
  if (!first_error_.ok()) return;
  first_error_ = ConfigError(source_, line ? line : KeyLine(key), FieldPath(key), message);
}

void TableReader::Expected(std::string_view key, std::string_view what) {
  const toml::node* node = table_.get(key);
  Fail(key, "must be " + std::string(what) + ", not " + std::string(TypeName(*node)));
}

const toml::node* TableReader::Get(std::string_view key, bool required) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (!node && required) Fail(key, "missing required field");
  return node;
}

bool TableReader::String(std::string_view key, std::string* out, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  const auto* value = node->as_string();
  if (!value) {
    Expected(key, "a string");
    return false;
  }
  if (value->get().empty()) {
    Fail(key, "must not be empty");
    return false;
  }
  *out = value->get();
  return true;
}

bool TableReader::Uint(std::string_view key, uint64_t* out, bool required, uint64_t min,
                       uint64_t max) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  uint64_t value = 0;
  if (const auto* i = node->as_integer()) {
    if (i->get() < 0) {
      Fail(key, "must not be negative");
      return false;
    }
    value = static_cast<uint64_t>(i->get());
  } else if (const auto* s = node->as_string()) {
    util::Result<uint64_t> parsed = ParseFixedDecimal(s->get(), 0);
    if (!parsed.ok()) {
      Fail(key, "must be a non-negative integer, not \"" + std::string(s->get()) + "\"");
      return false;
    }
    value = *parsed;
  } else {
    Expected(key, "an integer");
    return false;
  }
  if (value < min || value > max) {
    std::string range = max == std::numeric_limits<uint64_t>::max()
                            ? "at least " + std::to_string(min)
                            : "between " + std::to_string(min) + " and " + std::to_string(max);
    Fail(key, "is " + std::to_string(value) + ", must be " + range);
    return false;
  }
  *out = value;
  return true;
}

bool TableReader::Bool(std::string_view key, bool* out, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  const auto* value = node->as_boolean();
  if (!value) {
    Expected(key, "a boolean");
    return false;
  }
  *out = value->get();
  return true;
}

bool TableReader::Duration(std::string_view key, uint64_t* seconds, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  if (const auto* i = node->as_integer()) {
    if (i->get() <= 0) {
      Fail(key, "must be greater than zero");
      return false;
    }
    *seconds = static_cast<uint64_t>(i->get());
    return true;
  }
  const auto* s = node->as_string();
  if (!s) {
    Expected(key, "a duration like \"30s\" or \"24h\"");
    return false;
  }
  util::Result<uint64_t> parsed = ParseDurationSeconds(s->get());
  if (!parsed.ok()) {
    Fail(key, parsed.status().message());
    return false;
  }
  *seconds = *parsed;
  return true;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

bool TableReader::Timestamp(std::string_view key, int64_t* unix_ms, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  const auto* dt = node->as_date_time();
  if (!dt) {
    Expected(key, "an RFC 3339 date-time like 2026-01-01T00:00:00Z (unquoted)");
    return false;
  }
  const toml::date_time& v = dt->get();
  if (!v.offset) {
    Fail(key, "must include a UTC offset (append Z for UTC)");
    return false;
  }
  const int64_t days = DaysFromCivil(v.date.year, v.date.month, v.date.day);
  const int64_t ms = (days * 86400 + v.time.hour * 3600 + v.time.minute * 60 + v.time.second -
                      int64_t{v.offset->minutes} * 60) *
                         1000 +
                     v.time.nanosecond / 1'000'000;
  if (ms < 0) {
    Fail(key, "is before 1970-01-01T00:00:00Z");
    return false;
  }
  *unix_ms = ms;
  return true;
}

bool TableReader::Decimal(std::string_view key, uint32_t scale_digits, uint64_t* out,
                          bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  const auto* s = node->as_string();
  if (!s) {
    Fail(key, "must be a decimal string like \"0.40\", not " + std::string(TypeName(*node)) +
                  " (floats are not exact)");
    return false;
  }
  util::Result<uint64_t> parsed = ParseFixedDecimal(s->get(), scale_digits);
  if (!parsed.ok()) {
    Fail(key, parsed.status().message());
    return false;
  }
  *out = *parsed;
  return true;
}

bool TableReader::StringArray(std::string_view key, std::vector<std::string>* out, bool required,
                              std::vector<uint32_t>* lines) {
  const toml::node* node = Get(key, required);
  if (!node) return false;
  const auto* array = node->as_array();
  if (!array) {
    Expected(key, "an array of strings");
    return false;
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < array->size(); ++i) {
    const auto* s = (*array)[i].as_string();
    if (!s) {
      Fail(std::string(key) + "[" + std::to_string(i) + "]",
           "must be a string, not " + std::string(TypeName((*array)[i])), LineOf((*array)[i]));
      return false;
    }
    values.push_back(s->get());
    if (lines) lines->push_back(LineOf((*array)[i]));
  }
  *out = std::move(values);
  return true;
}

const toml::table* TableReader::Table(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  const auto* table = node->as_table();
  if (!table) Expected(key, "a table");
  return table;
}

const toml::array* TableReader::TableArray(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  const auto* array = node->as_array();
  if (!array || !array->is_array_of_tables()) {
    Fail(key, "must be an array of tables ([[" + FieldPath(key) + "]])");
    return nullptr;
  }
  return array;
}

util::Status TableReader::Finish() const {
  for (const auto& [key, node] : table_) {
    if (known_.count(key.str())) continue;
    std::string message = "unknown field";
    if (std::optional<std::string> close = util::ClosestName(key.str(), known_)) {
      message += " (did you mean '" + *close + "'?)";
    }
    return ConfigError(source_, LineOf(node), FieldPath(key.str()), message);
  }
  return first_error_;
}

}  // namespace depin::config::internal
