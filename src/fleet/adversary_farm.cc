// Where reports come from (adversary.h): uptime farms — one host, or a few, sending heartbeats
// and speedtests for many onboarded keys whose claimed locations are scattered over a city so
// they do not crowd one cell — and the honest case they resemble: real devices in a few
// buildings, each building sharing one uplink (one origin, the link's speed split between them).
#include <algorithm>
#include <cmath>

#include "fleet/adversary.h"
#include "fleet/adversary_classes.h"
#include "fleet/cities.h"
#include "fleet/random.h"
#include "ingest/report_builder.h"
#include "verify/s2_cells.h"
#include "wire/constants.h"

namespace depin::fleet {
namespace {

void PlaceAt(EmulatedDevice& d, const verify::Location& where) {
  d.location = where;
  d.managed.cell = verify::S2CellAt(where, 20);
}

// A point uniformly distributed over the disc of `radius_m` around `centre`.
verify::Location Scatter(sim::Rng& rng, const verify::Location& centre, double radius_m) {
  const double r = radius_m * std::sqrt(rng.Unit());
  const double a = rng.Unit() * 6.283185307179586;
  return sim::Offset(centre, r * std::cos(a), r * std::sin(a));
}

// One host, or a few (`origins` /24s), running `count` keys. Variants:
//  - jitter 1: each key keeps its own phase and misses ticks like an honest flaky device, so
//    nothing in the timing marks the keys as one machine;
//  - rotate_ticks N: one host whose address moves through `origins` /24s every N ticks (a
//    dynamic address, or a pool it cycles through); key i sends extra heartbeats while the host is
//    on "its" address i % origins, so that address is where most of key i's reports come from (a
//    majority vote would file each key under its own origin and pay it like a household).
class FarmPopulation : public Population {
 public:
  FarmPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index)
      : Population(spec, seed, index) {
    origins_ = static_cast<uint32_t>(std::max<uint64_t>(1, spec.Param("origins")));
    jitter_ = spec.Param("jitter") != 0;
    rotate_ticks_ = spec.Param("rotate_ticks");
    const verify::Location host = PlaceDevice(MixSeed(seed, 19, index), 0).location;
    for (EmulatedDevice& d : devices_) {
      PlaceAt(d, Scatter(rng_, host, static_cast<double>(spec.Param("spread_m"))));
    }
  }

  void Tick(AdversaryContext& ctx, uint64_t now_ms, std::vector<Outgoing>* out) override {
    const uint64_t tick = ticks_++;
    const uint32_t current =
        rotate_ticks_ == 0 ? 0 : static_cast<uint32_t>(tick / rotate_ticks_ % origins_);
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      const uint32_t own = static_cast<uint32_t>(i % origins_);
      uint64_t at = now_ms;
      if (jitter_) {
        if (d.rng.Below(1000) < 30) continue;  // an honest device misses ~3 % of its ticks
        at = now_ms - d.rng.Below(static_cast<uint64_t>(std::max<int64_t>(2, ctx.tick_ms / 3)));
      }
      std::vector<wire::v1::Report> reports;
      AddLiveness(d, at, 1, &reports);
      if (rotate_ticks_ == 0) {
        Send(d, std::move(reports), at, own, true, out);
        continue;
      }
      if (current == own) {  // pile this key's reports onto its own address
        const crypto::PublicKey& key = d.managed.key.public_key();
        const wire::v1::Location fix = reports[0].heartbeat().location();
        for (uint64_t k = 0; k < 3; ++k) {
          reports.push_back(ingest::MakeHeartbeat(key, at + 3 + 2 * k, fix.lat_e7(), fix.lon_e7()));
        }
      }
      Send(d, std::move(reports), at, current, true, out);
    }
  }

 private:
  bool jitter_ = false;
  uint64_t rotate_ticks_ = 0;
  uint64_t ticks_ = 0;
};

// Honest: `groups` buildings; the devices of one building sit within 30 m of each other, send
// through one uplink (one network origin); customers use them like any device. As `gateway`, the
// owner is a known operator the network exempts from origin density (`exempt` 1, written into
// [rewards.origin] exempt_owners by whoever starts the node: ExemptOwners in adversary.h).
class SharedUplinkPopulation : public Population {
 public:
  SharedUplinkPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index)
      : Population(spec, seed, index),
        customer_(DeriveKey(MixSeed(seed, 20, index), "customer", 0),
                  DeriveKey(MixSeed(seed, 20, index), "router", 0), MixSeed(seed, 21, index)) {
    origins_ = static_cast<uint32_t>(std::max<uint64_t>(1, spec.Param("groups")));
    std::vector<verify::Location> buildings;
    for (uint32_t g = 0; g < origins_; ++g) {
      buildings.push_back(PlaceDevice(MixSeed(seed, 22, index), g).location);
    }
    for (size_t i = 0; i < devices_.size(); ++i) {
      PlaceAt(devices_[i], Scatter(rng_, buildings[i % origins_], 30.0));
    }
  }

  util::Status Setup(AdversaryContext& ctx, int phase) override {
    if (phase != 1 || devices_.empty() || spec_.Param("usage_permille") == 0) {
      return util::Status::Ok();
    }
    DEPIN_ASSIGN_OR_RETURN(FundedCustomer f, FundCustomer(ctx, customer_, 10'000'000'000));
    funded_ = f.dc > 0;
    return util::Status::Ok();
  }

  void Tick(AdversaryContext&, uint64_t now_ms, std::vector<Outgoing>* out) override {
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      std::vector<wire::v1::Report> reports;
      // Speedtests run at different moments, so each sees about the whole link.
      AddLiveness(d, now_ms, 1, &reports);
      if (funded_ && d.rng.Below(1000) < spec_.Param("usage_permille")) {
        const crypto::PublicKey& key = d.managed.key.public_key();
        const uint64_t down = 8'000 + d.rng.Below(1'000'000);
        wire::v1::Report r;
        r.set_version(wire::kWireVersion);
        r.set_device_key(key.bytes.data(), key.bytes.size());
        r.set_timestamp_ms(now_ms + 2);
        *r.mutable_data_transfer() = customer_.Sign(key, down / 6, down, now_ms, network_id_);
        reports.push_back(std::move(r));
      }
      Send(d, std::move(reports), now_ms, static_cast<uint32_t>(i % origins_), true, out);
    }
  }

 private:
  Customer customer_;
  bool funded_ = false;
};

}  // namespace

std::unique_ptr<Population> MakeFarmPopulation(const AdversarySpec& spec, uint64_t seed,
                                               uint32_t index) {
  if (spec.class_name == "uptime_farm" || spec.class_name == "spread_farm" ||
      spec.class_name == "jittered_farm" || spec.class_name == "rotating_farm") {
    return std::make_unique<FarmPopulation>(spec, seed, index);
  }
  if (spec.class_name == "shared_uplink" || spec.class_name == "gateway") {
    return std::make_unique<SharedUplinkPopulation>(spec, seed, index);
  }
  return nullptr;
}

}  // namespace depin::fleet
