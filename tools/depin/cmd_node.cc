// `depin node --data DIR [--dev] [--api HOST:PORT]`: run a node until SIGINT/SIGTERM.
// Prints exactly "listening on http://HOST:PORT" (the bound port) on stdout once it serves.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli.h"
#include "node/node.h"

namespace depin::cli {
namespace {

struct NodeArgs {
  std::string data;
  bool dev = false;
  std::string api;
  std::string log_level = "info";
  std::string log_format = "text";
  unsigned io_threads = 0;
  std::string dashboard;
};

util::Status RunNode(const NodeArgs& args) {
  const std::optional<node::LogFormat> format = node::LogFormatFromName(args.log_format);
  if (!format) {
    return util::Status::InvalidArgument("--log-format \"" + args.log_format +
                                         "\" is not one of text, json");
  }
  DEPIN_RETURN_IF_ERROR(node::ConfigureLogging(args.log_level, *format));
  node::NodeOptions options;
  options.data_dir = args.data;
  options.dev = args.dev;
  if (!args.api.empty()) options.api_address = args.api;
  options.io_threads = args.io_threads;
  options.dashboard_dir = args.dashboard;
  options.handle_signals = true;
  options.version = DEPIN_VERSION;
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<node::Node> node, node::Node::Start(std::move(options)));
  const std::string& host = node->host();
  const bool ipv6 = host.find(':') != std::string::npos;  // URLs bracket IPv6 literals
  std::printf("listening on http://%s%s%s:%u\n", ipv6 ? "[" : "", host.c_str(), ipv6 ? "]" : "",
              static_cast<unsigned>(node->port()));
  std::fflush(stdout);
  node->Wait();
  return util::Status::Ok();
}

}  // namespace

void RegisterNodeCommand(CLI::App& app, Selected& selected) {
  auto args = std::make_shared<NodeArgs>();
  CLI::App* cmd =
      AddCommand(app, selected, "node", "Run a node for the network in --data until SIGINT/SIGTERM",
                 [args] { return [args] { return RunNode(*args); }; });
  cmd->add_option("--data", args->data, "Data directory (made by `depin init`)")->required();
  cmd->add_flag("--dev", args->dev, "Development mode");
  cmd->add_option("--api", args->api,
                  "Listen on HOST:PORT (default: [api] listen, 127.0.0.1:8080; port 0 picks a "
                  "free port)");
  cmd->add_option("--log-level", args->log_level,
                  "trace, debug, info, warn, error, critical or off")
      ->capture_default_str();
  cmd->add_option("--log-format", args->log_format,
                  "text, or json: one JSON object per line (time, level, msg) for log shippers")
      ->capture_default_str();
  cmd->add_option("--io-threads", args->io_threads, "HTTP io threads (default: one per core)");
  cmd->add_option("--dashboard", args->dashboard,
                  "Built web dashboard to serve at / (default: <depin binary dir>/../dashboard)");
}

}  // namespace depin::cli
