// `depin bench epoch`: the epoch close at scale, against the time to merely read and decode the
// epoch's records from the report log (the limit: a close cannot be faster than its scan).
//
// Setup (not timed): a registry of --devices devices (random keys, all located) and a real report
// log in a temporary directory holding --reports records of one epoch in random device order:
// 80 % heartbeats, 10 % speedtests, 10 % data-transfer receipts (paid by 64 payers holding
// delegated DC). Reports carry a placeholder signature: the node's close does not re-verify
// signatures (ingest did before appending), so signing 10 M reports would only slow the setup.
// Timed: ScanEpoch (read + decode every record), then CloseEpoch (read + decode + verifiers +
// reward computation) and writing the manifest files (canonical JSON + leaves). Printed: the
// times, reports/s, close / scan (target <= 3) and peak memory (VmHWM, target <= 1 GiB).
// --origins N: every record also carries a network origin (origin density, docs/rewards.md 1.5):
// N devices per home origin, 5 % of reports from another device's home (visits), so the cost of
// the origin tally and ranking shows against a run without origins.
#include <chrono>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "epoch/close.h"
#include "epoch/files.h"
#include "ingest/log_payload.h"
#include "ingest/report_builder.h"
#include "ingest/report_log.h"
#include "util/temp_dir.h"
#include "wire/codec.h"

namespace depin::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kStart = 1'704'067'200'000;
constexpr uint64_t kEpochMs = 24 * 3'600'000ull;

struct EpochArgs {
  uint64_t devices = 1'000'000;
  uint64_t reports = 10'000'000;
  uint64_t origins = 0;  // devices per home origin; 0: records carry no origin
  bool json = false;
};

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

crypto::PublicKey RandomKey(std::mt19937_64& rng) {
  util::Bytes raw(32);
  for (size_t i = 0; i < 32; i += 8) {
    const uint64_t v = rng();
    for (size_t j = 0; j < 8; ++j) raw[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  return crypto::PublicKey::FromBytes(raw).value();
}

// The network the synthetic log is for (its signatures are not checked, its report ids are).
constexpr char kBenchNetwork[] = "bench";

// Writes the epoch's log; returns the payers' keys.
util::Status WriteLog(const std::string& dir, const std::vector<verify::DeviceInfo>& devices,
                      const std::vector<verify::PayerInfo>& payers, uint64_t reports,
                      uint64_t per_origin, std::mt19937_64& rng) {
  ingest::ReportLogOptions o;
  o.data_dir = dir;
  o.segment_max_age_ms = 0;
  DEPIN_ASSIGN_OR_RETURN(auto log, ingest::ReportLog::Open(o));
  const std::string signature(64, '\x5a');
  std::vector<util::Bytes> payloads;
  std::vector<ingest::AppendRecord> batch;
  wire::v1::SignedReport sr;
  for (uint64_t i = 0; i < reports;) {
    payloads.clear();
    batch.clear();
    for (; i < reports && payloads.size() < 20'000; ++i) {
      const size_t index = rng() % devices.size();
      const verify::DeviceInfo& d = devices[index];
      const uint64_t at = kStart + rng() % kEpochMs;
      const uint64_t pick = rng() % 10;
      wire::v1::Report r;
      if (pick < 8) {
        r = ingest::MakeHeartbeat(d.key, at, d.asserted_location.lat_e7 + 50,
                                  d.asserted_location.lon_e7);
      } else if (pick == 8) {
        r = ingest::MakeSpeedtest(d.key, at, 120'000'000, 15'000'000, 30);
      } else {
        r = ingest::MakeHeartbeat(d.key, at, 0, 0);  // filled as a receipt below
        r.clear_heartbeat();
        auto* receipt = r.mutable_data_transfer()->mutable_receipt();
        const verify::PayerInfo& p = payers[rng() % payers.size()];
        receipt->set_device_key(std::string(util::AsChars(d.key.view())));
        receipt->set_payer_key(std::string(util::AsChars(p.payer.view())));
        receipt->set_session_id(i);
        receipt->set_bytes_up(12'000);
        receipt->set_bytes_down(12'000);
        receipt->set_dc_amount(1'000);
        receipt->set_timestamp_ms(at);
        r.mutable_data_transfer()->set_payer_signature(signature);
      }
      *sr.mutable_report() = std::move(r);
      sr.set_signature(signature);
      util::Bytes payload;
      ingest::EncodeSignedReportPayload(wire::Serialize(sr), &payload);
      if (per_origin > 0) {
        const bool visit = rng() % 100 < 5;
        const size_t home = visit ? rng() % devices.size() : index;
        ingest::AppendOriginToPayload(1 + home / per_origin, &payload);
      }
      payloads.push_back(std::move(payload));
      batch.push_back({at, {}});
    }
    for (size_t k = 0; k < batch.size(); ++k) batch[k].payload = payloads[k];
    DEPIN_RETURN_IF_ERROR(log->AppendAndWait(0, batch));
  }
  DEPIN_RETURN_IF_ERROR(log->AdvanceEpoch(1));
  return log->Close();
}

util::Status BenchEpoch(const EpochArgs& args) {
  if (args.devices == 0 || args.reports == 0) {
    return util::Status::InvalidArgument("--devices and --reports must be positive");
  }
  std::mt19937_64 rng(20261121);
  epoch::EpochSnapshot snap;
  snap.devices.resize(args.devices);
  for (verify::DeviceInfo& d : snap.devices) {
    d.key = RandomKey(rng);
    d.owner = RandomKey(rng);
    d.has_asserted_location = true;
    d.asserted_location = {static_cast<int32_t>(rng() % 1'200'000'000) - 600'000'000,
                           static_cast<int32_t>(rng() % 3'000'000'000ull) - 1'500'000'000};
  }
  std::sort(snap.devices.begin(), snap.devices.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  for (int i = 0; i < 64; ++i)
    snap.payers.push_back({RandomKey(rng), RandomKey(rng), UINT64_MAX, {}});
  std::sort(snap.payers.begin(), snap.payers.end(),
            [](const auto& a, const auto& b) { return a.payer < b.payer; });
  snap.dc_price = {100'000 * 10'000ull, 5'000'000'000ull};

  util::TempDir dir;
  const auto g0 = Clock::now();
  DEPIN_RETURN_IF_ERROR(
      WriteLog(dir.path(), snap.devices, snap.payers, args.reports, args.origins, rng));
  const double gen_s = Seconds(g0, Clock::now());

  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(epoch::CloseStats scan,
                         epoch::ScanEpoch(env, dir.path(), 0, kBenchNetwork));
  epoch::CloseInputs in;
  in.env = env;
  in.data_dir = dir.path();
  in.network_id = kBenchNetwork;
  in.window = {0, kStart, kStart + kEpochMs};
  in.config = rewards::DefaultRewardConfig(snap.payers[0].owner, snap.payers[1].owner);
  in.snapshot = &snap;
  in.emission = 1'000'000'000'000'000ull;
  epoch::CloseStats close;
  const auto c0 = Clock::now();
  DEPIN_ASSIGN_OR_RETURN(rewards::Manifest manifest, epoch::CloseEpoch(in, &close));
  const double close_s = Seconds(c0, Clock::now());
  const auto w0 = Clock::now();
  DEPIN_RETURN_IF_ERROR(epoch::WriteEpochFiles(env, dir.path(), manifest));
  const double write_s = Seconds(w0, Clock::now());
  const double scan_s = static_cast<double>(scan.scan_micros) / 1e6;

  BenchReport report("epoch");
  report.AddFigure("scan: read + decode the epoch's reports", scan_s, "s");
  report.AddFigure("epoch close (scan + verify + rewards)", close_s, "s");
  report.AddFigure("close throughput", static_cast<double>(close.records) / close_s, "reports/s");
  report.AddFigure("manifest files (canonical JSON + leaves)", write_s, "s");
  report.AddFigure("peak memory (VmHWM)", PeakMiB(), "MiB");
  report.AddFigure("devices in manifest", static_cast<double>(manifest.devices.size()), "devices");
  report.SetLimit("scan: read + decode the epoch's reports", scan_s, "s");
  report.SetRatio(close_s / scan_s, "close time / scan time (target <= 3)");
  report.AddInfo("devices", std::to_string(args.devices));
  report.AddInfo("reports", std::to_string(close.records));
  report.AddInfo("devices per origin",
                 args.origins == 0 ? "no origins" : std::to_string(args.origins));
  report.AddInfo("corrupt records", std::to_string(close.corrupt_records));
  report.AddInfo("log setup (not timed)", std::to_string(gen_s) + " s");
  report.Print(args.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchEpoch(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<EpochArgs>();
  CLI::App* c = AddCommand(bench, selected, "epoch",
                           "Epoch close over a real report log: close time vs scan time, "
                           "reports/s, peak memory",
                           [args] { return [args] { return BenchEpoch(*args); }; });
  c->add_option("--devices", args->devices, "Registered devices (default 1000000)");
  c->add_option("--reports", args->reports, "Reports in the epoch's log (default 10000000)");
  c->add_option("--origins", args->origins,
                "Devices per network origin carried by the records (default 0: none)");
  c->add_flag("--json", args->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli
