#include <algorithm>

#include "twin/fields_internal.h"
#include "twin/fixed.h"
#include "util/suggest.h"

namespace depin::twin::internal {

uint32_t LineOf(const toml::node& node) {
  return std::max<uint32_t>(1, static_cast<uint32_t>(node.source().begin.line));
}

std::string Fields::FieldPath(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return key.empty() ? path_ : path_ + "." + std::string(key);
}

uint32_t Fields::KeyLine(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return node ? LineOf(*node) : LineOf(table_);
}

void Fields::Fail(std::string_view key, std::string_view message) {
  if (!first_error_.ok()) return;
  first_error_ =
      util::Status::InvalidArgument(std::string(source_) + ":" + std::to_string(KeyLine(key)) +
                                    ": " + FieldPath(key) + ": " + std::string(message));
}

const toml::node* Fields::Get(std::string_view key, bool required) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr && required) Fail(key, "is required");
  return node;
}

bool Fields::String(std::string_view key, std::string* out, bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return false;
  if (!node->is_string()) {
    Fail(key, "must be a string");
    return false;
  }
  *out = node->value<std::string>().value_or("");
  return true;
}

bool Fields::Uint(std::string_view key, uint64_t* out, bool required, uint64_t min, uint64_t max) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return false;
  if (!node->is_integer()) {
    Fail(key, "must be an integer");
    return false;
  }
  int64_t v = node->value<int64_t>().value_or(0);
  if (v < 0) {
    Fail(key, "must not be negative, got " + std::to_string(v));
    return false;
  }
  if (static_cast<uint64_t>(v) < min || static_cast<uint64_t>(v) > max) {
    Fail(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                  std::to_string(v));
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

bool Fields::Decimal(std::string_view key, uint32_t digits, uint64_t* out, bool required,
                     uint64_t min, uint64_t max) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return false;
  util::Result<uint64_t> v = util::Status::InvalidArgument("");
  if (node->is_integer()) {
    int64_t i = node->value<int64_t>().value_or(0);
    if (i < 0) {
      Fail(key, "must not be negative, got " + std::to_string(i));
      return false;
    }
    v = ParseDecimal(std::to_string(i), digits);
  } else if (node->is_string()) {
    v = ParseDecimal(node->value<std::string>().value_or(""), digits);
  } else {
    Fail(key, node->is_floating_point()
                  ? "must be an exact decimal string such as \"0.05\", not a float"
                  : "must be a decimal string such as \"0.05\"");
    return false;
  }
  if (!v.ok()) {
    Fail(key, v.status().message());
    return false;
  }
  if (*v < min || *v > max) {
    Fail(key, "must be between " + FormatDecimal(min, digits) + " and " +
                  FormatDecimal(max, digits) + ", got " + FormatDecimal(*v, digits));
    return false;
  }
  *out = *v;
  return true;
}

bool Fields::SignedDecimal(std::string_view key, uint32_t digits, int64_t* out, bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return false;
  util::Result<int64_t> v = util::Status::InvalidArgument("");
  if (node->is_integer()) {
    v = ParseSignedDecimal(std::to_string(node->value<int64_t>().value_or(0)), digits);
  } else if (node->is_string()) {
    v = ParseSignedDecimal(node->value<std::string>().value_or(""), digits);
  } else {
    Fail(key, "must be a decimal string such as \"-0.01\"");
    return false;
  }
  if (!v.ok()) {
    Fail(key, v.status().message());
    return false;
  }
  *out = *v;
  return true;
}

bool Fields::UintRange(std::string_view key, Range* out, bool required, uint64_t max) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return false;
  const toml::array* a = node->as_array();
  if (a == nullptr || a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer()) {
    Fail(key, "must be [low, high], two integers");
    return false;
  }
  int64_t lo = (*a)[0].value<int64_t>().value_or(0), hi = (*a)[1].value<int64_t>().value_or(0);
  if (lo < 0 || hi < 0) {
    Fail(key, "must not be negative");
    return false;
  }
  if (lo > hi || static_cast<uint64_t>(hi) > max) {
    Fail(key, "must have low <= high <= " + std::to_string(max));
    return false;
  }
  *out = {static_cast<uint64_t>(lo), static_cast<uint64_t>(hi)};
  return true;
}

bool Fields::Shocks(std::string_view key, std::vector<Shock>* out) {
  const toml::node* node = Get(key, false);
  if (node == nullptr) return false;
  const toml::array* a = node->as_array();
  if (a == nullptr) {
    Fail(key, "must be an array of tables ([[" + FieldPath(key) + "]])");
    return false;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table* t = (*a)[i].as_table();
    if (t == nullptr) {
      Fail(key, "must be an array of tables");
      return false;
    }
    Fields f(*t, FieldPath(key) + "[" + std::to_string(i) + "]", source_);
    Shock s;
    f.Uint("epoch", &s.epoch, true);
    f.Decimal("factor", kPpmDigits, &s.factor_ppm, true, 0, 1000 * kPpm);
    util::Status st = f.Finish();
    if (!st.ok()) {
      if (first_error_.ok()) first_error_ = st;
      return false;
    }
    out->push_back(s);
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const Shock& x, const Shock& y) { return x.epoch < y.epoch; });
  return true;
}

const toml::table* Fields::Table(std::string_view key) {
  const toml::node* node = Get(key, false);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    Fail(key, "must be a table");
    return nullptr;
  }
  return node->as_table();
}

util::Status Fields::Finish() const {
  for (const auto& [k, v] : table_) {
    if (known_.count(k.str())) continue;
    std::string message = "unknown field";
    if (std::optional<std::string> close = util::ClosestName(k.str(), known_)) {
      message += " (did you mean '" + *close + "'?)";
    }
    return util::Status::InvalidArgument(std::string(source_) + ":" + std::to_string(LineOf(v)) +
                                         ": " + FieldPath(k.str()) + ": " + message);
  }
  return first_error_;
}

}  // namespace depin::twin::internal
