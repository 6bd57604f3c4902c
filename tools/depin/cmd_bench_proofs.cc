// `depin bench coverage` and `depin bench qod`: physical-proof verification throughput on one
// core, with peak memory (VmHWM from /proc/self/status).
//
// coverage: an epoch of --devices hotspots on a jittered 400 m grid, --beacons beacons each and
// about --witnesses witnesses per beacon (neighbours within ~2.5 km, log-distance signals). The
// input is pre-generated in a compact form (12 bytes per witness) before the clock starts; each
// report is then built as a ReportView and fed through EpochVerifier + CoverageVerifier; Finish
// (join, checks, collusion rings, trust propagation, shared radios, relays, multilateration,
// selection, density, units) is timed with it.
// The collusion detector is also timed alone on the epoch's witness edges at full and half size
// to show it is near-linear in edges.
// qod: --stations weather stations at one reading (6 parameters) per --step minutes for a day,
// plus hourly heartbeats, streamed through EpochVerifier + UptimeLocationVerifier + QodVerifier;
// the generator's own time is measured in a separate pass and subtracted.
#include <time.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "crypto/hash.h"
#include "sim/random.h"
#include "sim/weather_sim.h"
#include "verify/collusion.h"
#include "verify/coverage_math.h"
#include "verify/coverage_verifier.h"
#include "verify/geo.h"
#include "verify/qod_verifier.h"
#include "verify/uptime_verifier.h"

namespace depin::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kStart = 1'704'067'200'000;
const verify::EpochWindow kWindow{1, kStart, kStart + 24 * 3'600'000ull};

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds this process has used: on a shared machine, per-core throughput is work divided by
// CPU time (the benchmark is single-threaded), not by wall time.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct CoverageArgs {
  uint64_t devices = 250'000;
  uint32_t beacons = 4;
  uint32_t witnesses = 15;
  bool json = false;
  bool no_graph_checks = false;  // collusion, trust, shared radio, multilateration off
};

struct CompactBeacon {
  uint32_t slot;
  uint32_t t_rel;  // ms after epoch start
  uint32_t first_witness;
};
struct CompactWitness {
  uint32_t slot;
  int16_t signal_x10;
  uint16_t delay_ms;
  uint32_t pad = 0;
};

util::Status BenchCoverage(const CoverageArgs& a) {
  BenchReport report("coverage");
  sim::Rng rng(42);
  const uint32_t n = static_cast<uint32_t>(a.devices);
  const uint32_t cols = std::max<uint32_t>(1, static_cast<uint32_t>(std::sqrt(double(n))));
  // Devices on a jittered grid; keys random, registry sorted by key; pos_to_slot maps back.
  std::vector<verify::DeviceInfo> devices(n);
  std::vector<verify::Location> where(n);
  const verify::Location origin{350'000'000, -1'000'000'000};
  for (uint32_t i = 0; i < n; ++i) {
    where[i] = sim::Offset(origin, (i / cols) * 400.0 + rng.Unit() * 200,
                           (i % cols) * 400.0 + rng.Unit() * 200);
  }
  std::vector<verify::Key> keys(n);
  for (auto& k : keys) {
    for (size_t b = 0; b < 32; b += 8) {
      uint64_t v = rng.Next();
      for (int j = 0; j < 8; ++j) k.bytes[b + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return keys[x] < keys[y]; });
  std::vector<uint32_t> pos_to_slot(n);
  for (uint32_t s = 0; s < n; ++s) {
    pos_to_slot[order[s]] = s;
    devices[s].key = keys[order[s]];
    devices[s].has_asserted_location = true;
    devices[s].asserted_location = where[order[s]];
  }
  std::vector<verify::Key>().swap(keys);
  // Entropy every minute; beacons and witnesses in compact form.
  std::vector<verify::EntropyRecord> entropy;
  verify::Hash32 block{};
  for (uint64_t t = kWindow.start_ms; t < kWindow.end_ms; t += 60'000) {
    entropy.push_back({verify::DeriveEntropy("bench", block, t), t});
  }
  std::vector<CompactBeacon> beacons;
  std::vector<CompactWitness> witnesses;
  beacons.reserve(uint64_t{n} * a.beacons + 1);
  witnesses.reserve(uint64_t{n} * a.beacons * a.witnesses * 11 / 10);
  const uint64_t interval = 6 * 3'600'000ull;
  for (uint32_t k = 0; k < a.beacons; ++k) {
    for (uint32_t p = 0; p < n; ++p) {
      uint32_t t = static_cast<uint32_t>(k * interval + rng.Below(interval - 60'000));
      beacons.push_back({pos_to_slot[p], t, static_cast<uint32_t>(witnesses.size())});
      // Mean a.witnesses: uniform in [w - w/2, w + w/2], each a distinct-ish neighbour within
      // 5 grid steps (redrawn when it falls off the grid).
      const uint32_t count = a.witnesses - a.witnesses / 2 +
                             static_cast<uint32_t>(rng.Below(2 * (a.witnesses / 2) + 1));
      for (uint32_t w = 0; w < count;) {
        int64_t dr = static_cast<int64_t>(rng.Below(11)) - 5;
        int64_t dc = static_cast<int64_t>(rng.Below(11)) - 5;
        int64_t q = int64_t{p} + dr * cols + dc;
        if ((dr == 0 && dc == 0) || q < 0 || q >= n) continue;
        uint64_t d = verify::DistanceMm(where[p], where[q]) / 1000;
        double pl = 31.7 + 28.0 * std::log10(std::max<double>(1.0, double(d)));
        int16_t signal = static_cast<int16_t>(std::lround(270 - pl * 10 + rng.Normal() * 40));
        witnesses.push_back(
            {pos_to_slot[q], signal, static_cast<uint16_t>(100 + rng.Below(2'000))});
        ++w;
      }
    }
  }
  beacons.push_back({0, 0, static_cast<uint32_t>(witnesses.size())});  // sentinel
  const double input_mib = PeakMiB();

  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, devices);
  if (!epoch.ok()) return epoch.status();
  std::vector<verify::DeviceInfo>().swap(devices);
  // --no-graph-checks: the per-edge checks only, to measure what the whole-graph defences cost.
  verify::CoverageParams params;
  if (a.no_graph_checks) {
    params.collusion.enabled = params.spoofing.enabled = false;
    params.trust.enabled = params.radio.enabled = false;
  }
  auto cov = verify::CoverageVerifier::Create(params, kWindow, (*epoch)->devices(), entropy,
                                              verify::Denylist{}, witnesses.size());
  if (!cov.ok()) return cov.status();
  verify::CoverageVerifier* coverage = cov->get();
  DEPIN_RETURN_IF_ERROR((*epoch)->Register(std::move(cov).value()));
  auto reg = (*epoch)->devices();

  const std::string load_before = LoadAverage();
  const double c0 = CpuSeconds();
  const auto t0 = Clock::now();
  verify::ReportView b, w;
  b.kind = verify::ReportKind::kCoverageBeacon;
  b.beacon.frequency_hz = 904'600'000;
  b.beacon.tx_power_dbm_x10 = 270;
  w.kind = verify::ReportKind::kCoverageWitness;
  w.witness.snr_db_x10 = 50;
  w.witness.frequency_hz = 904'600'000;
  for (size_t i = 0; i + 1 < beacons.size(); ++i) {
    const CompactBeacon& cb = beacons[i];
    const uint64_t t = kWindow.start_ms + cb.t_rel;
    const verify::EntropyRecord& e = entropy[cb.t_rel / 60'000];
    b.device = reg[cb.slot].key;
    b.device_ms = b.received_ms = t;
    for (int j = 0; j < 4; ++j) {
      uint64_t id = i * 4 + j + 1;
      for (int q = 0; q < 8; ++q)
        b.beacon.report_id[j * 8 + q] = static_cast<uint8_t>(id >> (8 * q));
    }
    b.beacon.entropy = e.entropy;
    verify::Hash32 payload = verify::BeaconPayload(e.entropy, b.device);
    b.beacon.payload = payload;
    (*epoch)->Observe(b);
    w.witness.beacon_id = b.beacon.report_id;
    w.witness.beaconer = b.device;
    w.witness.payload = payload;
    w.witness.heard_at_ms = t;
    for (uint32_t k = cb.first_witness; k < beacons[i + 1].first_witness; ++k) {
      const CompactWitness& cw = witnesses[k];
      w.device = reg[cw.slot].key;
      w.device_ms = w.received_ms = std::min(t + cw.delay_ms, kWindow.end_ms - 1);
      w.witness.signal_dbm_x10 = cw.signal_x10;
      (*epoch)->Observe(w);
    }
  }
  const auto t1 = Clock::now();
  verify::EpochWork work = (*epoch)->Finish();
  const auto t2 = Clock::now();
  const double cpu = CpuSeconds() - c0;
  const double peak = PeakMiB();
  const double total = static_cast<double>(witnesses.size());
  const auto& st = coverage->stats();

  // Collusion detection alone, on the epoch's edges at half and full size.
  std::vector<verify::WitnessEdge> edges;
  edges.reserve(witnesses.size());
  for (size_t i = 0; i + 1 < beacons.size(); ++i) {
    for (uint32_t k = beacons[i].first_witness; k < beacons[i + 1].first_witness; ++k) {
      edges.push_back(
          {witnesses[k].slot, beacons[i].slot, 1'000 + (k % 2'000), witnesses[k].signal_x10});
    }
  }
  auto time_collusion = [&](size_t m) {
    auto start = Clock::now();
    auto rings =
        verify::DetectCollusionRings(verify::CollusionParams{}, std::span(edges).first(m), n);
    return Seconds(start, Clock::now()) * 1e9 / static_cast<double>(m);
  };
  const double ns_half = time_collusion(edges.size() / 2);
  const double ns_full = time_collusion(edges.size());

  const double secs = Seconds(t0, t2);
  report.AddFigure("witness reports verified per core (CPU time)", total / cpu, "reports/s");
  report.AddFigure("witness reports verified (wall clock)", total / secs, "reports/s");
  report.AddFigure("observe (per-report checks)", total / Seconds(t0, t1), "reports/s");
  report.AddFigure("finish (join, checks, detectors, units)", Seconds(t1, t2), "s");
  report.AddFigure("epoch verification", secs, "s");
  report.AddFigure("peak memory (VmHWM)", peak, "MiB");
  report.AddFigure("of which pre-generated input", input_mib, "MiB");
  report.AddFigure("collusion detection, " + std::to_string(edges.size() / 2) + " edges", ns_half,
                   "ns/edge");
  report.AddFigure("collusion detection, " + std::to_string(edges.size()) + " edges", ns_full,
                   "ns/edge");
  report.SetLimit("target", 1e6, "reports/s");
  report.SetRatioOf("witness reports verified per core (CPU time)");
  report.AddInfo("load average before", load_before);
  report.AddInfo("load average after", LoadAverage());
  report.AddInfo("devices", std::to_string(n));
  report.AddInfo("beacons", std::to_string(beacons.size() - 1));
  report.AddInfo("witness reports", std::to_string(witnesses.size()));
  report.AddInfo("witnesses valid", std::to_string(st.witnesses));
  report.AddInfo("witnesses rewarded", std::to_string(st.witnesses_rewarded));
  report.AddInfo("witnesses rejected", std::to_string(st.witnesses_rejected));
  report.AddInfo("reports seen", std::to_string(work.reports_seen));
  // Which devices the detectors flagged, and why, as one hash: two builds that must flag the
  // same devices (a speed change) print the same digest on the same input.
  crypto::Sha256Hasher flag_digest;
  for (const verify::DeviceFlag& f : work.flags) {
    const auto reason = static_cast<uint8_t>(f.reason);
    flag_digest.Update(f.device.view());
    flag_digest.Update({&reason, 1});
    flag_digest.Update(util::AsBytes(f.evidence));
  }
  report.AddInfo("devices flagged", std::to_string(work.flags.size()));
  report.AddInfo("flags digest (keys, reasons, evidence)",
                 crypto::ToHex(flag_digest.Finish()).substr(0, 16));
  report.Print(a.json);
  return util::Status::Ok();
}

struct QodArgs {
  uint32_t stations = 100'000;
  uint32_t step = 1;
  bool json = false;
};

util::Status BenchQod(const QodArgs& a) {
  BenchReport report("qod");
  sim::WeatherScenario sc;
  sc.seed = 7;
  sc.stations = a.stations;
  sc.regions = std::max<uint32_t>(1, a.stations / 25);
  sc.minutes_per_reading = a.step;
  sc.stuck = sc.random = sc.indoor = 0;
  sim::WeatherNetwork net = sim::GenerateWeatherNetwork(sc, kWindow);
  // Generator alone, for subtraction.
  const double g0 = CpuSeconds();
  uint64_t batches = 0;
  const uint64_t samples = net.Run(
      [&](const verify::ReportView& r) { batches += r.kind == verify::ReportKind::kSensorBatch; });
  const double gen = CpuSeconds() - g0;

  verify::QodParams params = verify::DefaultQodParams();
  params.expected_per_hour = 60 / a.step;
  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, net.devices);
  if (!epoch.ok()) return epoch.status();
  // Heartbeats give location trust, which weighs the stations in the spatial field.
  DEPIN_RETURN_IF_ERROR((*epoch)->Register(
      std::make_unique<verify::UptimeLocationVerifier>(verify::VerifyParams{}, kWindow)));
  auto q = verify::QodVerifier::Create(params, kWindow, (*epoch)->devices());
  if (!q.ok()) return q.status();
  DEPIN_RETURN_IF_ERROR((*epoch)->Register(std::move(q).value()));
  const std::string load_before = LoadAverage();
  const double t0 = CpuSeconds();
  net.Run([&](const verify::ReportView& r) { (*epoch)->Observe(r); });
  const double t1 = CpuSeconds();
  verify::EpochWork work = (*epoch)->Finish();
  const double t2 = CpuSeconds();
  const double verify_secs = t2 - t0 - gen;
  report.AddFigure("readings verified per core (CPU time)",
                   static_cast<double>(batches) / verify_secs, "readings/s");
  report.AddFigure("samples verified per core (CPU time)",
                   static_cast<double>(samples) / verify_secs, "samples/s");
  report.AddFigure("finish (series tests, copies, field, QoD, capacity), CPU", t2 - t1, "s");
  report.AddFigure("generator (subtracted), CPU", gen, "s");
  report.AddFigure("peak memory (VmHWM)", PeakMiB(), "MiB");
  report.AddInfo("load average before", load_before);
  report.AddInfo("stations", std::to_string(a.stations));
  report.AddInfo("readings", std::to_string(batches));
  report.AddInfo("samples", std::to_string(samples));
  report.AddInfo("reports seen", std::to_string(work.reports_seen));
  report.Print(a.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchProofs(CLI::App& bench, Selected& selected) {
  auto cov = std::make_shared<CoverageArgs>();
  CLI::App* c = AddCommand(bench, selected, "coverage",
                           "Proof-of-coverage epoch verification: witness reports/s per core, "
                           "peak memory, collusion detection per edge",
                           [cov] { return [cov] { return BenchCoverage(*cov); }; });
  c->add_option("--devices", cov->devices, "Hotspots (default 250000)");
  c->add_option("--beacons", cov->beacons, "Beacons per device, 1..4 (default 4)");
  c->add_option("--witnesses", cov->witnesses, "Mean witnesses per beacon (default 15)");
  c->add_flag("--no-graph-checks", cov->no_graph_checks,
              "Per-edge checks only: collusion, trust, shared radio and multilateration off");
  c->add_flag("--json", cov->json, "Print one JSON object instead of a table");
  auto qod = std::make_shared<QodArgs>();
  CLI::App* q = AddCommand(bench, selected, "qod",
                           "Sensor quality-of-data verification: readings/s per core, peak memory",
                           [qod] { return [qod] { return BenchQod(*qod); }; });
  q->add_option("--stations", qod->stations, "Weather stations (default 100000)");
  q->add_option("--step", qod->step, "Minutes between readings, dividing 60 (default 1)");
  q->add_flag("--json", qod->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli
