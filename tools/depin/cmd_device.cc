// `depin device submit|register`: the device side of ingest.
//   depin device submit --key dev.key --server http://127.0.0.1:8080 [--count N] [--batch]
//        [--kind heartbeat|speedtest] [--lat E7 --lon E7] [--per-request N]
//     signs N reports with the key file and POSTs them (one request per --per-request reports,
//     or one signed batch per request with --batch); prints "<id> <status> [reason]" per report.
//   depin device register --server URL --token-file keys/admin.token (--key FILE | --address B58)
//        (--class NAME | --kinds heartbeat,speedtest) [--inactive]
//     registers a device with a dev-mode node (POST /v1/admin/devices).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "crypto/key_file.h"
#include "ingest/device_client.h"
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
  DEPIN_RETURN_IF_ERROR(ingest::ParseServerUrl(args.server, &host, &port));
  DEPIN_ASSIGN_OR_RETURN(auto client, ingest::DeviceClient::Connect(host, port));
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
      DEPIN_ASSIGN_OR_RETURN(util::Bytes batch, ingest::SignBatchToBytes(reports, base, key));
      body.AddBatch(batch);
    } else {
      for (const auto& r : reports) {
        DEPIN_ASSIGN_OR_RETURN(util::Bytes signed_report, ingest::SignReportToBytes(r, key));
        body.AddSignedReport(signed_report);
      }
    }
    DEPIN_ASSIGN_OR_RETURN(ingest::HttpReply reply, client->SubmitReports(body.body()));
    if (reply.status != 200) {
      return util::Status::Unavailable(
          "server answered " + std::to_string(reply.status) +
          (reply.retry_after.empty() ? "" : " (retry after " + reply.retry_after + " s)") + ": " +
          reply.body);
    }
    DEPIN_ASSIGN_OR_RETURN(auto results, ingest::ParseSubmitResults(reply.body));
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
  DEPIN_ASSIGN_OR_RETURN(util::Bytes token_bytes, env->ReadFile(args.token_file));
  std::string token(util::AsChars(token_bytes));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
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
  DEPIN_RETURN_IF_ERROR(ingest::ParseServerUrl(args.server, &host, &port));
  DEPIN_ASSIGN_OR_RETURN(auto client, ingest::DeviceClient::Connect(host, port));
  DEPIN_ASSIGN_OR_RETURN(ingest::HttpReply reply,
                         client->Post("/v1/admin/devices", "application/json", util::AsBytes(body),
                                      "Bearer " + token));
  if (reply.status != 200) {
    return util::Status::InvalidArgument("server answered " + std::to_string(reply.status) + ": " +
                                         reply.body);
  }
  std::printf("registered %s\n", address.c_str());
  return util::Status::Ok();
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
}

}  // namespace depin::cli
