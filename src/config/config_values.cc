// Scalar value parsers for network.toml: durations, exact decimals, proof kinds, schedules.
#include <array>
#include <string>

#include "config/network_config.h"

namespace depin::config {
namespace {

constexpr std::array<std::string_view, 8> kProofKindNames = {
    "heartbeat", "coverage_beacon", "coverage_witness", "data_transfer",
    "speedtest", "sensor_batch",    "storage_proof",    "compute_receipt",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// out = out * 10 + digit, false on overflow.
bool AppendDigit(uint64_t* out, char c) {
  const uint64_t d = static_cast<uint64_t>(c - '0');
  if (*out > (UINT64_MAX - d) / 10) return false;
  *out = *out * 10 + d;
  return true;
}

}  // namespace

std::string_view ProofKindName(ProofKind kind) {
  return kProofKindNames[static_cast<size_t>(kind)];
}

std::optional<ProofKind> ProofKindFromName(std::string_view name) {
  for (size_t i = 0; i < kProofKindNames.size(); ++i) {
    if (kProofKindNames[i] == name) return static_cast<ProofKind>(i);
  }
  return std::nullopt;
}

std::string_view EmissionScheduleName(EmissionSchedule schedule) {
  switch (schedule) {
    case EmissionSchedule::kFixed:
      return "fixed";
    case EmissionSchedule::kHalving:
      return "halving";
    case EmissionSchedule::kDecay:
      return "decay";
  }
  return "unknown";
}

util::Result<uint64_t> ParseDurationSeconds(std::string_view text) {
  if (text.empty()) return util::Status::InvalidArgument("empty duration");
  uint64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      return util::Status::InvalidArgument("malformed duration \"" + std::string(text) +
                                           "\": expected a number like \"30s\", \"5m\", \"24h\"");
    }
    uint64_t n = 0;
    while (i < text.size() && IsDigit(text[i])) {
      if (!AppendDigit(&n, text[i++])) {
        return util::Status::InvalidArgument("duration \"" + std::string(text) + "\" overflows");
      }
    }
    if (i == text.size()) {
      return util::Status::InvalidArgument("duration \"" + std::string(text) +
                                           "\" needs a unit (s, m, h or d)");
    }
    uint64_t unit = 0;
    switch (text[i++]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        return util::Status::InvalidArgument("duration \"" + std::string(text) +
                                             "\" has an unknown unit (use s, m, h or d)");
    }
    if (n > (UINT64_MAX - total) / unit) {
      return util::Status::InvalidArgument("duration \"" + std::string(text) + "\" overflows");
    }
    total += n * unit;
  }
  if (total == 0) return util::Status::InvalidArgument("duration must be greater than zero");
  return total;
}

util::Result<uint64_t> ParseFixedDecimal(std::string_view text, uint32_t scale_digits) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  size_t i = 0;
  uint64_t value = 0;
  size_t int_digits = 0;
  while (i < text.size() && IsDigit(text[i])) {
    if (!AppendDigit(&value, text[i++])) {
      return util::Status::InvalidArgument("decimal " + quoted + " is too large");
    }
    ++int_digits;
  }
  uint32_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) {
      if (frac_digits == scale_digits) {
        return util::Status::InvalidArgument("decimal " + quoted + " has more than " +
                                             std::to_string(scale_digits) + " decimal places");
      }
      if (!AppendDigit(&value, text[i++])) {
        return util::Status::InvalidArgument("decimal " + quoted + " is too large");
      }
      ++frac_digits;
    }
    if (frac_digits == 0) int_digits = 0;  // "1." is malformed
  }
  if (i != text.size() || int_digits == 0) {
    return util::Status::InvalidArgument("malformed decimal " + quoted +
                                         " (expected digits like \"0.40\")");
  }
  for (; frac_digits < scale_digits; ++frac_digits) {
    if (!AppendDigit(&value, '0')) {
      return util::Status::InvalidArgument("decimal " + quoted + " is too large");
    }
  }
  return value;
}

std::string FormatFixedDecimal(uint64_t value, uint32_t scale_digits,
                               uint32_t min_fraction_digits) {
  std::string digits = std::to_string(value);
  if (digits.size() <= scale_digits) digits.insert(0, scale_digits + 1 - digits.size(), '0');
  std::string whole = digits.substr(0, digits.size() - scale_digits);
  std::string frac = digits.substr(digits.size() - scale_digits);
  while (frac.size() > min_fraction_digits && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole : whole + "." + frac;
}

}  // namespace depin::config
