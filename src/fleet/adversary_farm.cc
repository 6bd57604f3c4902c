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

class FarmPopulation : public Population {
 public:
  FarmPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index)
      : Population(spec, seed, index) {
    origins_ = static_cast<uint32_t>(std::max<uint64_t>(1, spec.Param("origins")));
    const verify::Location host = PlaceDevice(MixSeed(seed, 19, index), 0).location;
    for (EmulatedDevice& d : devices_) {
      PlaceAt(d, Scatter(rng_, host, static_cast<double>(spec.Param("spread_m"))));
    }
  }

  void Tick(AdversaryContext&, uint64_t now_ms, std::vector<Outgoing>* out) override {
    for (size_t i = 0; i < devices_.size(); ++i) {
      std::vector<wire::v1::Report> reports;
      AddLiveness(devices_[i], now_ms, 1, &reports);
      Send(devices_[i], std::move(reports), now_ms, static_cast<uint32_t>(i % origins_), true, out);
    }
  }
};

// Honest: `groups` buildings; the devices of one building sit within 30 m of each other, send
// through one uplink (one network origin); customers use them like any device.
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
  if (spec.class_name == "uptime_farm" || spec.class_name == "spread_farm") {
    return std::make_unique<FarmPopulation>(spec, seed, index);
  }
  if (spec.class_name == "shared_uplink") {
    return std::make_unique<SharedUplinkPopulation>(spec, seed, index);
  }
  return nullptr;
}

}  // namespace depin::fleet
