// The report log's format version, so a node never reads a log it cannot verify as if it could.
//
// Version 2 logs hold reports signed under wire format v2 (every signature names its network,
// docs/wire-format.md section 10); version 1 logs hold wire v1 reports, whose signatures name no
// network and cannot be checked by this code. <data dir>/reports/FORMAT records the version
// ("opendepin report log 2\n"). A log without that file (written before it existed) is identified
// by the `version` of the report in its first record.
//
// CheckReportLogFormat runs before the log is opened or recovered (by the node, and by the offline
// commands that read the log: depin rewards recompute, close): on a log of another version, older
// or newer, it returns Unsupported naming the version found and what to do, and changes nothing
// (`depin` exits 2 on it). On a
// version 2 log without the file, or a new log, it writes the file (when `record` is true).
//
// Pure file reads and one atomic write; thread-safe if the Env is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/bytes.h"
#include "util/env.h"
#include "util/result.h"

namespace depin::ingest {

inline constexpr uint32_t kReportLogFormat = 2;
inline constexpr std::string_view kReportLogFormatFile = "FORMAT";

util::Status CheckReportLogFormat(util::Env* env, const std::string& data_dir, bool record);

// The wire `version` of the report in a log record's payload (log_payload.h), or nullopt when the
// payload is not a report at all.
std::optional<uint32_t> LoggedReportWireVersion(util::ByteView payload);

}  // namespace depin::ingest
