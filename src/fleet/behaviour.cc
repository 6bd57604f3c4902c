#include "fleet/behaviour.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "fleet/cities.h"
#include "fleet/hotspot.h"
#include "fleet/random.h"
#include "fleet/weather_station.h"
#include "ingest/report_builder.h"
#include "verify/s2_cells.h"
#include "wire/constants.h"
#include "wire/report.h"

namespace depin::fleet {
namespace {

bool Chance(sim::Rng& rng, uint32_t permille) { return rng.Below(1000) < permille; }

// Log-uniform in [lo, hi]: many small transfers, a few large ones.
uint64_t LogUniform(sim::Rng& rng, double lo, double hi) {
  return static_cast<uint64_t>(std::exp(std::log(lo) + rng.Unit() * (std::log(hi) - std::log(lo))));
}

wire::v1::Report DataTransfer(const crypto::PublicKey& device, uint64_t ts,
                              wire::v1::SignedUsageReceipt receipt) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(device.bytes.data(), device.bytes.size());
  r.set_timestamp_ms(ts);
  *r.mutable_data_transfer() = std::move(receipt);
  return r;
}

}  // namespace

wire::v1::SignedUsageReceipt Customer::Sign(const crypto::PublicKey& device, uint64_t bytes_up,
                                            uint64_t bytes_down, uint64_t timestamp_ms,
                                            std::string_view network_id) {
  const uint64_t dc = (bytes_up + bytes_down + kBytesPerDc - 1) / kBytesPerDc;
  wire::v1::UsageReceipt receipt;
  const crypto::PublicKey& payer = router_.public_key();
  receipt.set_payer_key(payer.bytes.data(), payer.bytes.size());
  receipt.set_device_key(device.bytes.data(), device.bytes.size());
  receipt.set_session_id(session_id_);
  receipt.set_sequence(sequence_.fetch_add(1));
  receipt.set_bytes_up(bytes_up);
  receipt.set_bytes_down(bytes_down);
  receipt.set_dc_amount(dc);
  receipt.set_timestamp_ms(timestamp_ms);
  dc_signed_.fetch_add(dc);
  // Well-formed by construction, signed by the key named in it: fails only for a network id the
  // node could not have sent (empty or over 32 bytes); such a receipt verifies nowhere.
  util::Result<wire::v1::SignedUsageReceipt> s =
      wire::SignUsageReceipt(receipt, network_id, router_);
  if (s.ok()) return std::move(s).value();
  wire::v1::SignedUsageReceipt unsigned_receipt;
  *unsigned_receipt.mutable_receipt() = std::move(receipt);
  return unsigned_receipt;
}

EmulatedDevice MakeDevice(uint64_t seed, uint64_t index, uint32_t resource_class,
                          const BehaviourOptions& options, DeviceKind kind) {
  EmulatedDevice d(DeriveKey(seed, "device", index));
  d.managed.resource_class = resource_class;
  d.kind = kind;
  const Placement p = PlaceDevice(seed, index);
  d.location = p.location;
  d.city = p.city;
  if (kind == DeviceKind::kHotspot) {
    const size_t cities = std::clamp<size_t>(options.hotspot_cities, 1, Cities().size());
    d.city = MixSeed(seed, kStreamHotspot, index) % cities;
    const City& c = Cities()[d.city];
    d.location = PlaceHotspot(seed, index, d.city, {c.lat_e7, c.lon_e7});
  }
  if (kind == DeviceKind::kWeather && options.station_cities > 0) {
    // The same scatter around a city among the first station_cities (weather networks, too,
    // launch city by city).
    const size_t cities = std::min<size_t>(options.station_cities, Cities().size());
    d.city = MixSeed(seed, kStreamClimate, index) % cities;
    const City& c = Cities()[d.city];
    const City& own = Cities()[p.city];
    d.location = {c.lat_e7 + (p.location.lat_e7 - own.lat_e7),
                  c.lon_e7 + (p.location.lon_e7 - own.lon_e7)};
  }
  d.managed.cell = verify::S2CellAt(d.location, 20);  // the hotspot's own spot, for hotspots
  d.rng = sim::Rng(MixSeed(seed, kStreamBehaviour, index));
  d.dead = Chance(d.rng, options.dead_permille);
  d.flaky = !d.dead && Chance(d.rng, options.flaky_permille);
  // Most links clear the "good" speedtest tier (100/10 Mbit/s, < 50 ms); one in ten is slower.
  const bool slow = Chance(d.rng, 100);
  d.download_bps = (slow ? 40'000'000 : 120'000'000) + d.rng.Below(300'000'000);
  d.upload_bps = (slow ? 4'000'000 : 12'000'000) + d.rng.Below(40'000'000);
  d.latency_ms = static_cast<uint32_t>((slow ? 55 : 8) + d.rng.Below(35));
  if (kind == DeviceKind::kHotspot) {
    // EU868 default channels.
    static constexpr uint64_t kChannels[] = {868'100'000, 868'300'000, 868'500'000};
    d.frequency_hz = kChannels[d.rng.Below(3)];
  }
  if (kind == DeviceKind::kWeather) SetUpStation(d);
  return d;
}

std::vector<wire::v1::Report> Tick(EmulatedDevice& d, uint64_t now_ms,
                                   const BehaviourOptions& options,
                                   std::span<Customer* const> customers,
                                   std::string_view network_id) {
  std::vector<wire::v1::Report> out;
  const uint64_t tick = d.ticks++;
  if (d.dead || (d.flaky && Chance(d.rng, options.flaky_skip_permille))) return out;
  const crypto::PublicKey& key = d.managed.key.public_key();
  // GPS noise of up to ~8 m: well inside the 300 m of full location trust.
  const verify::Location fix =
      sim::Offset(d.location, (d.rng.Unit() - 0.5) * 16.0, (d.rng.Unit() - 0.5) * 16.0);
  out.push_back(ingest::MakeHeartbeat(key, now_ms, fix.lat_e7, fix.lon_e7));
  if (d.kind == DeviceKind::kWeather) {
    if (std::optional<wire::v1::Report> batch = StationBatch(d, now_ms, options.tick_ms)) {
      out.push_back(std::move(*batch));
    }
    return out;
  }
  if (d.kind == DeviceKind::kMobile && options.speedtest_every > 0 &&
      tick % options.speedtest_every == 0) {
    const uint64_t jitter = 90 + d.rng.Below(21);  // 90% .. 110% of the link's figures
    out.push_back(ingest::MakeSpeedtest(key, now_ms + 1, d.download_bps * jitter / 100,
                                        d.upload_bps * jitter / 100,
                                        static_cast<uint32_t>(d.latency_ms * jitter / 100)));
  }
  if (!customers.empty() && Chance(d.rng, options.usage_permille)) {
    Customer* c = customers[d.rng.Below(customers.size())];
    const uint64_t down = LogUniform(d.rng, 8e3, 2e6);
    const uint64_t up = down / (4 + d.rng.Below(8));
    out.push_back(DataTransfer(key, now_ms + 2, c->Sign(key, up, down, now_ms, network_id)));
  }
  return out;
}

}  // namespace depin::fleet
