#include "twin/fixed.h"

namespace depin::twin {

using util::Status;

util::Result<uint64_t> ParseDecimal(std::string_view text, uint32_t digits) {
  if (text.empty()) return Status::InvalidArgument("empty number");
  if (text[0] == '-') return Status::InvalidArgument("must not be negative");
  if (text[0] == '+') text.remove_prefix(1);
  u128 value = 0;
  bool seen_point = false, seen_digit = false;
  uint32_t fraction = 0;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c == '_') continue;
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("'" + std::string(text) +
                                     "' is not a decimal number (digits and one '.')");
    }
    seen_digit = true;
    if (seen_point && ++fraction > digits) {
      return Status::InvalidArgument("'" + std::string(text) + "' has more than " +
                                     std::to_string(digits) + " fractional digits");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > UINT64_MAX)
      return Status::InvalidArgument("'" + std::string(text) + "' is too large");
  }
  if (!seen_digit) return Status::InvalidArgument("'" + std::string(text) + "' has no digits");
  for (; fraction < digits; ++fraction) {
    value *= 10;
    if (value > UINT64_MAX)
      return Status::InvalidArgument("'" + std::string(text) + "' is too large");
  }
  return static_cast<uint64_t>(value);
}

util::Result<int64_t> ParseSignedDecimal(std::string_view text, uint32_t digits) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  DEPIN_ASSIGN_OR_RETURN(uint64_t magnitude, ParseDecimal(text, digits));
  if (magnitude > static_cast<uint64_t>(INT64_MAX)) {
    return Status::InvalidArgument("'" + std::string(text) + "' is too large");
  }
  return negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
}

std::string FormatDecimal(uint64_t value, uint32_t digits) {
  std::string s = std::to_string(value);
  if (digits == 0) return s;
  if (s.size() <= digits) s.insert(0, digits + 1 - s.size(), '0');
  s.insert(s.size() - digits, ".");
  return s;
}

std::string FormatSignedDecimal(int64_t value, uint32_t digits) {
  if (value >= 0) return FormatDecimal(static_cast<uint64_t>(value), digits);
  return "-" + FormatDecimal(static_cast<uint64_t>(-(value + 1)) + 1, digits);
}

}  // namespace depin::twin
