// CheckReportLogFormat (see log_version.h).
#include "ingest/log_version.h"

#include <charconv>

#include "ingest/log_format.h"
#include "ingest/log_payload.h"
#include "ingest/report_log_segment.h"
#include "ingest/submission.h"
#include "wire/codec.h"
#include "wire/limits.h"

namespace depin::ingest {
namespace {

using util::Status;

constexpr std::string_view kFormatPrefix = "opendepin report log ";

Status OtherVersion(const std::string& log_dir, uint32_t found, std::string_view how) {
  const std::string advice =
      found > kReportLogFormat
          ? "It was written by a newer depin: read it with that version"
          : "Reports signed under wire version 1 name no network and cannot be verified by this "
            "version (docs/wire-format.md section 10): close the epochs still open in it with "
            "the depin that wrote it, then start a new network directory (depin init) or move " +
                log_dir + " aside";
  return Status::Unsupported("report log " + log_dir + " is format version " +
                             std::to_string(found) + " (" + std::string(how) +
                             "); this depin reads version " + std::to_string(kReportLogFormat) +
                             " only and changed nothing. " + advice);
}

// The version the first record of the oldest segment was written under, if there is one.
util::Result<std::optional<uint32_t>> FirstRecordVersion(util::Env* env,
                                                         const std::string& log_dir) {
  DEPIN_ASSIGN_OR_RETURN(std::vector<SegmentId> segments, ListSegments(env, log_dir));
  for (const SegmentId& id : segments) {
    DEPIN_ASSIGN_OR_RETURN(auto scanner,
                           SegmentScanner::Open(env, util::JoinPath(log_dir, SegmentFileName(id))));
    RecordView record;
    DEPIN_ASSIGN_OR_RETURN(SegmentScanner::Outcome outcome, scanner->Next(&record));
    if (outcome != SegmentScanner::Outcome::kRecord) continue;  // empty or torn: look further
    return LoggedReportWireVersion(record.payload);
  }
  return std::optional<uint32_t>();
}

}  // namespace

std::optional<uint32_t> LoggedReportWireVersion(util::ByteView payload) {
  std::optional<util::ByteView> signed_report, batched;
  Status walked =
      ForEachLengthDelimited(payload, "LoggedReport", 2, [&](const LengthDelimitedField& f) {
        if (f.number == kLoggedSignedReportField) signed_report = f.value;
        if (f.number == kLoggedBatchedField) batched = f.value;
        return Status::Ok();
      });
  if (!walked.ok()) return std::nullopt;
  if (signed_report) {
    wire::v1::SignedReport message;
    if (!wire::ParseLimited(*signed_report, wire::kMaxReportBytes, "SignedReport", &message).ok()) {
      return std::nullopt;
    }
    return message.report().version();
  }
  if (batched) {
    util::Result<BatchedReportView> view = ParseBatchedReport(*batched);
    wire::v1::Report report;
    if (!view.ok() ||
        !wire::ParseLimited(view->report, wire::kMaxReportBytes, "Report", &report).ok()) {
      return std::nullopt;
    }
    return report.version();
  }
  return std::nullopt;
}

Status CheckReportLogFormat(util::Env* env, const std::string& data_dir, bool record) {
  const std::string log_dir = util::JoinPath(data_dir, std::string(logfmt::kLogSubdir));
  const std::string path = util::JoinPath(log_dir, std::string(kReportLogFormatFile));
  if (env->FileExists(path)) {
    DEPIN_ASSIGN_OR_RETURN(util::Bytes text, env->ReadFile(path));
    std::string_view s = util::AsChars(text);
    uint32_t version = 0;
    const bool parsed =
        s.starts_with(kFormatPrefix) &&
        std::from_chars(s.data() + kFormatPrefix.size(), s.data() + s.size(), version).ec ==
            std::errc();
    if (!parsed) return Status::Corruption(path + ": not a report log format file");
    if (version != kReportLogFormat) return OtherVersion(log_dir, version, "as its FORMAT says");
    return Status::Ok();
  }
  DEPIN_ASSIGN_OR_RETURN(std::optional<uint32_t> found, FirstRecordVersion(env, log_dir));
  if (found && *found != kReportLogFormat) {
    return OtherVersion(log_dir, *found, "its first report is signed under that wire version");
  }
  if (!record) return Status::Ok();
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(log_dir));
  const std::string text = std::string(kFormatPrefix) + std::to_string(kReportLogFormat) + "\n";
  return env->WriteFileAtomic(path, util::AsBytes(text), 0644);
}

}  // namespace depin::ingest
