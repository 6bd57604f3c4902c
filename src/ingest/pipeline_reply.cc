// The pipeline's answers: reason and status names, and the JSON bodies (docs/api.md).
#include <array>

#include "ingest/pipeline_request.h"
#include "util/encoding.h"

namespace depin::ingest {
namespace detail {
namespace {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out->append("\\u00");
      const char* hex = "0123456789abcdef";
      out->push_back(hex[(c >> 4) & 0xf]);
      out->push_back(hex[c & 0xf]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace

std::string ErrorBody(std::string_view code, std::string_view message) {
  std::string out = "{\"error\":{\"code\":";
  AppendJsonString(&out, code);
  out += ",\"message\":";
  AppendJsonString(&out, message);
  out += "}}";
  return out;
}

std::string ResultsBody(const std::vector<ReportResult>& results) {
  std::string out;
  out.reserve(24 + results.size() * 110);
  out += "{\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const ReportResult& r = results[i];
    if (i) out.push_back(',');
    out.push_back('{');
    if (r.has_id) {
      out += "\"id\":\"";
      out += util::HexEncode(r.id);
      out += "\",";
    }
    out += "\"status\":\"";
    out += StatusName(r.status);
    out.push_back('"');
    if (r.status == ReportStatus::kRejected) {
      out += ",\"reason\":\"";
      out += ReasonName(r.reason);
      out.push_back('"');
    }
    out.push_back('}');
  }
  out += "]}";
  return out;
}

}  // namespace detail

std::string_view ReasonName(RejectReason reason) {
  static constexpr std::array<std::string_view, static_cast<size_t>(RejectReason::kCount)> kNames =
      {"none",
       "malformed",
       "too_large",
       "unsupported_version",
       "too_old",
       "too_new",
       "unknown_device",
       "deactivated",
       "kind_not_allowed",
       "in_flight",
       "rate_limited",
       "bad_signature",
       "bad_batch_signature",
       "bad_merkle_proof",
       "overloaded",
       "duplicate_receipt",
       "stale_receipt",
       "receipt_time"};
  size_t i = static_cast<size_t>(reason);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::string_view StatusName(ReportStatus status) {
  switch (status) {
    case ReportStatus::kAccepted:
      return "accepted";
    case ReportStatus::kDuplicate:
      return "duplicate";
    case ReportStatus::kRejected:
      return "rejected";
  }
  return "rejected";
}

}  // namespace depin::ingest
