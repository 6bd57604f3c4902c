// Where the node's logs go and in what shape. Logs are for people and log shippers; results go to
// stdout. `depin node --log-format json` writes one JSON object per line for Loki, Elasticsearch,
// Datadog and the like:
//
//   {"time":"2026-12-07T20:31:05.123Z","level":"info","msg":"epoch 7: computed"}
//
// `time` is UTC with milliseconds, `level` one of the level names below, `msg` the message with
// JSON escapes. Text (the default) is spdlog's coloured "[time] [depin] [level] message".
//
// Thread-safety: call ConfigureLogging before starting threads that log (it replaces spdlog's
// default logger); logging itself is thread-safe (spdlog's _mt sinks).
#pragma once

#include <optional>
#include <string_view>

#include "util/status.h"

namespace depin::node {

enum class LogFormat { kText, kJson };

std::string_view LogFormatName(LogFormat format);
std::optional<LogFormat> LogFormatFromName(std::string_view name);

// Sends spdlog's default logger to stderr at `level` (trace, debug, info, warn, error, critical
// or off) in `format`. InvalidArgument names an unknown level.
util::Status ConfigureLogging(std::string_view level, LogFormat format = LogFormat::kText);

}  // namespace depin::node
