// `depin device submit|register`: the device side of ingest.
//   depin device submit --key dev.key --server http://127.0.0.1:8080 [--count N] [--batch]
//        [--kind heartbeat|speedtest] [--lat E7 --lon E7] [--per-request N]
//     signs N reports with the key file and POSTs them (one request per --per-request reports,
//     or one signed batch per request with --batch); prints "<id> <status> [reason]" per report.
//   depin device register --server URL --token-file keys/admin.token (--key FILE | --address B58)
//        (--class NAME | --kinds heartbeat,speedtest) [--inactive]
//     registers a device with a dev-mode node (POST /v1/admin/devices).
//   depin device run --node URL (--data DIR | --key FILE --owner-key FILE --maker-key FILE)
//        [--funder-key FILE] [--oracle-key FILE] [--lat E7 --lon E7] [--heartbeat 5s]
//        [--duration 60s] [--class wireless] [--claim]
//     the long-running agent of one device (src/fleet/agent.h): onboards it (creating the device
//     and owner key files, mode 0600, if missing) and reports until SIGINT/SIGTERM.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "config/network_init.h"
#include "crypto/key_file.h"
#include "fleet/agent.h"
#include "fleet/cities.h"
#include "fleet_cli.h"
#include "http/client.h"
#include "ingest/report_builder.h"
#include "util/env.h"

namespace depin::cli {
namespace {

struct DeviceArgs {
  std::string key_file;
  std::string address;
  std::string server = "http://127.0.0.1:8080";
  std::string kind = "heartbeat";
  std::string token_file;
  std::string resource_class;
  std::string kinds;
  uint64_t count = 1;
  uint64_t per_request = 100;
  int32_t lat_e7 = 473977000;
  int32_t lon_e7 = 85000000;
  bool batch = false;
  bool inactive = false;
  // device run
  std::string data, owner_key, maker_key, funder_key, oracle_key;
  std::string heartbeat = "5s", duration;
  bool lat_set = false;
  bool claim = false;
};

uint64_t NowMs() { return static_cast<uint64_t>(util::Env::Default()->NowUnixMillis()); }

util::Status Submit(const DeviceArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair key,
                         crypto::ReadKeyFile(util::Env::Default(), args.key_file));
  if (args.kind != "heartbeat" && args.kind != "speedtest") {
    return util::Status::InvalidArgument("--kind: want heartbeat or speedtest, got " + args.kind);
  }
  if (args.count == 0 || args.per_request == 0) {
    return util::Status::InvalidArgument("--count and --per-request must be > 0");
  }
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(args.server, &host, &port));
  DEPIN_ASSIGN_OR_RETURN(auto client, http::DeviceClient::Connect(host, port));
  // Reports are signed for the node's network; signed for another, they would be refused.
  DEPIN_ASSIGN_OR_RETURN(std::string network_id, http::FetchNetworkId(*client));
  uint64_t base = NowMs();
  uint64_t rejected = 0;
  for (uint64_t done = 0; done < args.count;) {
    uint64_t n = std::min(args.per_request, args.count - done);
    std::vector<wire::v1::Report> reports;
    for (uint64_t i = 0; i < n; ++i) {
      // Distinct timestamps make distinct reports (and report ids) from one device.
      uint64_t ts = base - (done + i);
      reports.push_back(
          args.kind == "heartbeat"
              ? ingest::MakeHeartbeat(key.public_key(), ts, args.lat_e7, args.lon_e7)
              : ingest::MakeSpeedtest(key.public_key(), ts, 100'000'000, 20'000'000, 25));
    }
    ingest::SubmissionBuilder body;
    if (args.batch) {
      DEPIN_ASSIGN_OR_RETURN(util::Bytes batch,
                             ingest::SignBatchToBytes(reports, base, network_id, key));
      body.AddBatch(batch);
    } else {
      for (const auto& r : reports) {
        DEPIN_ASSIGN_OR_RETURN(util::Bytes signed_report,
                               ingest::SignReportToBytes(r, network_id, key));
        body.AddSignedReport(signed_report);
      }
    }
    DEPIN_ASSIGN_OR_RETURN(http::HttpReply reply, client->SubmitReports(body.body()));
    if (reply.status != 200) {
      return util::Status::Unavailable(
          "server answered " + std::to_string(reply.status) +
          (reply.retry_after.empty() ? "" : " (retry after " + reply.retry_after + " s)") + ": " +
          reply.body);
    }
    DEPIN_ASSIGN_OR_RETURN(auto results, http::ParseSubmitResults(reply.body));
    for (const auto& r : results) {
      std::printf("%s %s%s%s\n", r.id.empty() ? "-" : r.id.c_str(), r.status.c_str(),
                  r.reason.empty() ? "" : " ", r.reason.c_str());
      if (r.status == "rejected") ++rejected;
    }
    done += n;
  }
  std::fflush(stdout);
  if (rejected > 0) {
    return util::Status::InvalidArgument(std::to_string(rejected) + " of " +
                                         std::to_string(args.count) + " reports rejected");
  }
  return util::Status::Ok();
}

util::Status Register(const DeviceArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  util::Env* env = util::Env::Default();
  std::string address = args.address;
  if (!args.key_file.empty()) {
    DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair key, crypto::ReadKeyFile(env, args.key_file));
    address = key.public_key().ToBase58();
  }
  if (address.empty()) return util::Status::InvalidArgument("give --key or --address");
  DEPIN_ASSIGN_OR_RETURN(std::string token, config::ReadAdminToken(env, args.token_file));
  nlohmann::json device = {{"key", address}, {"active", !args.inactive}};
  if (!args.resource_class.empty()) {
    device["class"] = args.resource_class;
  } else {
    std::vector<std::string> kinds;
    std::string k = args.kinds.empty() ? "heartbeat" : args.kinds;
    for (size_t start = 0; start <= k.size();) {
      size_t comma = k.find(',', start);
      if (comma == std::string::npos) comma = k.size();
      if (comma > start) kinds.push_back(k.substr(start, comma - start));
      start = comma + 1;
    }
    device["kinds"] = kinds;
  }
  std::string body = nlohmann::json{{"devices", {device}}}.dump();
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(args.server, &host, &port));
  DEPIN_ASSIGN_OR_RETURN(auto client, http::DeviceClient::Connect(host, port));
  DEPIN_ASSIGN_OR_RETURN(http::HttpReply reply,
                         client->Post("/v1/admin/devices", "application/json", util::AsBytes(body),
                                      "Bearer " + token));
  if (reply.status != 200) {
    return util::Status::InvalidArgument("server answered " + std::to_string(reply.status) + ": " +
                                         reply.body);
  }
  std::printf("registered %s\n", address.c_str());
  return util::Status::Ok();
}

// Reads the key file at `path`, creating it with a new key (mode 0600) if it does not exist.
util::Result<crypto::KeyPair> ReadOrCreateKey(const std::string& path) {
  util::Env* env = util::Env::Default();
  if (!env->FileExists(path)) {
    DEPIN_RETURN_IF_ERROR(crypto::WriteKeyFile(env, path, crypto::KeyPair::Generate()));
    std::fprintf(stderr, "device run: created %s\n", path.c_str());
  }
  return crypto::ReadKeyFile(env, path);
}

// An optional role key: the flag's file, else <data>/keys/<name> if it exists, else none.
util::Result<std::optional<crypto::KeyPair>> OptionalKey(const std::string& flag_path,
                                                         const std::string& data,
                                                         const std::string& name) {
  util::Env* env = util::Env::Default();
  std::string path = flag_path;
  if (path.empty() && !data.empty()) path = util::JoinPath(data, "keys/" + name);
  if (path.empty() || (flag_path.empty() && !env->FileExists(path))) {
    return std::optional<crypto::KeyPair>();
  }
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair k, crypto::ReadKeyFile(env, path));
  return std::optional<crypto::KeyPair>(std::move(k));
}

util::Status RunAgent(const DeviceArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  auto in_data = [&](const std::string& flag, const char* name) {
    return !flag.empty() ? flag : args.data.empty() ? "" : util::JoinPath(args.data, name);
  };
  const std::string key_path = in_data(args.key_file, "keys/device.key");
  const std::string owner_path = in_data(args.owner_key, "keys/owner.key");
  const std::string maker_path = in_data(args.maker_key, "keys/maker.key");
  if (key_path.empty() || owner_path.empty() || maker_path.empty()) {
    return util::Status::InvalidArgument("give --data DIR, or --key, --owner-key and --maker-key");
  }
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(args.server, &host, &port));
  fleet::AgentOptions o;
  o.node_url = args.server;
  if (!args.data.empty()) {
    DEPIN_ASSIGN_OR_RETURN(
        DeviceNetwork net,
        LoadDeviceNetwork(args.data,
                          args.resource_class.empty() ? "wireless" : args.resource_class));
    o.economics = net.economics;
    o.resource_class = net.resource_class;
    o.epoch_ms = net.epoch_ms;
    o.genesis_ms = net.genesis_ms;
  }
  DEPIN_ASSIGN_OR_RETURN(o.behaviour.tick_ms, ParseDurationMs(args.heartbeat, "--heartbeat"));
  if (o.behaviour.tick_ms <= 0) return util::Status::InvalidArgument("--heartbeat must be > 0");
  if (!args.duration.empty()) {
    DEPIN_ASSIGN_OR_RETURN(o.duration_ms, ParseDurationMs(args.duration, "--duration"));
  }
  if (args.claim && args.data.empty()) {
    return util::Status::InvalidArgument("--claim needs --data (the epoch length and genesis)");
  }
  o.claim = args.claim;
  // Keys that must exist first, so a bad invocation creates no files.
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair maker_key,
                         crypto::ReadKeyFile(util::Env::Default(), maker_path));
  DEPIN_ASSIGN_OR_RETURN(std::optional<crypto::KeyPair> funder,
                         OptionalKey(args.funder_key, args.data, "governance.key"));
  DEPIN_ASSIGN_OR_RETURN(std::optional<crypto::KeyPair> oracle,
                         OptionalKey(args.oracle_key, args.data, "price-oracle.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair device_key, ReadOrCreateKey(key_path));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair owner_key, ReadOrCreateKey(owner_path));
  fleet::AgentKeys keys(std::move(device_key), std::move(owner_key), std::move(maker_key));
  keys.funder = std::move(funder);
  keys.price_oracle = std::move(oracle);
  // Without --lat/--lon the device lives in a city chosen from its key.
  const crypto::PublicKey& pk = keys.device.public_key();
  o.seed = 0;
  for (int i = 0; i < 8; ++i) o.seed |= uint64_t{pk.bytes[static_cast<size_t>(i)]} << (8 * i);
  o.location = args.lat_set ? verify::Location{args.lat_e7, args.lon_e7}
                            : fleet::PlaceDevice(o.seed, 0).location;
  o.on_event = [](const std::string& line) {
    std::fprintf(stderr, "device run: %s\n", line.c_str());
  };
  std::printf("device %s owner %s\n", pk.ToBase58().c_str(),
              keys.owner.public_key().ToBase58().c_str());
  std::fflush(stdout);
  fleet::DeviceAgent agent(std::move(o), std::move(keys));
  util::Status status;
  {
    SignalStopper stopper([&agent] { agent.Stop(); });
    status = agent.Run();
  }
  const fleet::AgentStats s = agent.stats();
  std::printf(
      "summary: stage %s reports sent %llu accepted %llu rejected %llu failures %llu claims %llu\n",
      s.stage.c_str(), static_cast<unsigned long long>(s.sent),
      static_cast<unsigned long long>(s.accepted), static_cast<unsigned long long>(s.rejected),
      static_cast<unsigned long long>(s.attempts_failed),
      static_cast<unsigned long long>(s.claims));
  std::fflush(stdout);
  return status;
}

}  // namespace

void RegisterDeviceCommands(CLI::App& app, Selected& selected) {
  CLI::App* device = app.add_subcommand("device", "Act as a device: sign and submit reports");
  device->require_subcommand(1, 1);
  auto args = std::make_shared<DeviceArgs>();

  CLI::App* submit = AddCommand(*device, selected, "submit", "Sign reports and POST them",
                                [args] { return [args] { return Submit(*args); }; });
  submit->add_option("--key", args->key_file, "Device key file")->required();
  submit->add_option("--server", args->server, "Node URL")->capture_default_str();
  submit->add_option("--kind", args->kind, "heartbeat or speedtest")->capture_default_str();
  submit->add_option("--count", args->count, "Reports to send")->capture_default_str();
  submit->add_option("--per-request", args->per_request, "Reports per request (or per batch)")
      ->capture_default_str();
  submit->add_flag("--batch", args->batch, "Send signed batches instead of signed reports");
  submit->add_option("--lat", args->lat_e7, "Latitude, degrees x 1e7");
  submit->add_option("--lon", args->lon_e7, "Longitude, degrees x 1e7");

  CLI::App* reg = AddCommand(*device, selected, "register",
                             "Register a device with a dev-mode node (admin token)",
                             [args] { return [args] { return Register(*args); }; });
  reg->add_option("--server", args->server, "Node URL")->capture_default_str();
  reg->add_option("--token-file", args->token_file, "Admin token file (keys/admin.token)")
      ->required();
  reg->add_option("--key", args->key_file, "Device key file");
  reg->add_option("--address", args->address, "Device address (base58)");
  reg->add_option("--class", args->resource_class, "Resource class from network.toml");
  reg->add_option("--kinds", args->kinds, "Comma-separated proof kinds (default heartbeat)");
  reg->add_flag("--inactive", args->inactive, "Register as deactivated");

  CLI::App* run = AddCommand(*device, selected, "run",
                             "Run the agent of one device: onboard it, then report until stopped",
                             [args] { return [args] { return RunAgent(*args); }; });
  run->add_option("--node,--server", args->server, "Node URL")->capture_default_str();
  run->add_option("--data", args->data,
                  "Network data directory: keys/maker.key, keys/governance.key (funds the owner), "
                  "keys/price-oracle.key, network.toml; device and owner keys default to "
                  "keys/device.key and keys/owner.key there");
  run->add_option("--key", args->key_file, "Device key file (created if missing)");
  run->add_option("--owner-key", args->owner_key, "Owner key file (created if missing)");
  run->add_option("--maker-key", args->maker_key, "Maker key file (co-signs the onboarding)");
  run->add_option("--funder-key", args->funder_key, "Key that tops the owner up with tokens");
  run->add_option("--oracle-key", args->oracle_key, "Price-oracle key (a fresh price for burns)");
  run->add_option("--lat", args->lat_e7, "Latitude, degrees x 1e7")
      ->each([args](const std::string&) { args->lat_set = true; });
  run->add_option("--lon", args->lon_e7, "Longitude, degrees x 1e7");
  run->add_option("--heartbeat", args->heartbeat, "Heartbeat interval")->capture_default_str();
  run->add_option("--duration", args->duration, "Stop after this long (default: until a signal)");
  run->add_flag("--claim", args->claim,
                "Claim each closed epoch's reward (needed where the node does not auto-claim)");
  run->add_option("--class", args->resource_class, "Resource class in network.toml")
      ->default_str("wireless");
}

}  // namespace depin::cli
