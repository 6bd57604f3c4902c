#include "node/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>
#include <string>

namespace depin::node {
namespace {

// %J: the message, escaped for a JSON string (quotes, backslashes, control characters).
class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (c == '\n') {
        dest.append(std::string_view("\\n"));
      } else if (u < 0x20) {
        const std::array<char, 6> esc = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        dest.append(esc.data(), esc.data() + esc.size());
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

}  // namespace

std::string_view LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kText:
      return "text";
    case LogFormat::kJson:
      return "json";
  }
  return "text";
}

std::optional<LogFormat> LogFormatFromName(std::string_view name) {
  for (LogFormat f : {LogFormat::kText, LogFormat::kJson}) {
    if (LogFormatName(f) == name) return f;
  }
  return std::nullopt;
}

util::Status ConfigureLogging(std::string_view level, LogFormat format) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return util::Status::InvalidArgument("log level \"" + std::string(level) +
                                         "\" is not one of trace, debug, info, warn, error, "
                                         "critical, off");
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  if (format == LogFormat::kJson) {
    sink->set_color_mode(spdlog::color_mode::never);
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('J').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%J"})");
    sink->set_formatter(std::move(formatter));
  }
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("depin", std::move(sink)));
  spdlog::set_level(parsed);
  return util::Status::Ok();
}

}  // namespace depin::node
