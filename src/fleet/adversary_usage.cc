// Paid-usage attacks (adversary.h): receipt replay (fresh, modified, stale) and self-dealing
// (wash trading through a price drop, colluding customer and devices with tiny real traffic).
// With `liveness = 1` an attacker device also sends heartbeats and speedtests, so its reports
// look like any device's — and it then also earns what an uptime farm earns, which the farm
// classes measure; by default it sends only the attack, so whatever it earns is the attack's.
#include <algorithm>

#include "fleet/adversary.h"
#include "fleet/adversary_classes.h"
#include "fleet/random.h"
#include "wire/constants.h"
#include "wire/report.h"

namespace depin::fleet {
namespace {

wire::v1::Report WrapReceipt(const crypto::PublicKey& device, uint64_t ts,
                             const wire::v1::SignedUsageReceipt& receipt) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(device.bytes.data(), device.bytes.size());
  r.set_timestamp_ms(ts);
  *r.mutable_data_transfer() = receipt;
  return r;
}

// A receipt with every field chosen by the caller (Customer::Sign derives DC from the bytes; an
// attacker may not).
wire::v1::SignedUsageReceipt SignReceipt(const crypto::KeyPair& router, uint64_t session,
                                         uint64_t sequence, const crypto::PublicKey& device,
                                         uint64_t up, uint64_t down, uint64_t dc, uint64_t ts,
                                         std::string_view network_id) {
  wire::v1::UsageReceipt r;
  const crypto::PublicKey& payer = router.public_key();
  r.set_payer_key(payer.bytes.data(), payer.bytes.size());
  r.set_device_key(device.bytes.data(), device.bytes.size());
  r.set_session_id(session);
  r.set_sequence(sequence);
  r.set_bytes_up(up);
  r.set_bytes_down(down);
  r.set_dc_amount(dc);
  r.set_timestamp_ms(ts);
  return wire::SignUsageReceipt(r, network_id, router).value();  // signed by the key named in it
}

enum class ReplayKind { kFresh, kModified, kStale };

// Attacker devices that do a little real work for a genuine customer (the victim: its router
// signs a receipt for the traffic, and the device submits it once, as any device would), keep
// every receipt they were given, and re-wrap them again and again in new reports (new timestamps,
// so new report ids), single and batched, drawing from every epoch so far. The wire format binds
// a receipt to the device it names (report_signing.cc refuses a receipt of another device), so a
// replay must come from the device that served the traffic.
class ReplayPopulation : public Population {
 public:
  ReplayPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index, ReplayKind kind)
      : Population(spec, seed, index),
        kind_(kind),
        victim_(DeriveKey(MixSeed(seed, 23, index), "customer", 0),
                DeriveKey(MixSeed(seed, 23, index), "router", 0), MixSeed(seed, 24, index)),
        given_(devices_.size()) {}

  // The victim is an honest customer: funded after any price change, its DC is not the
  // attackers' cost.
  util::Status Setup(AdversaryContext& ctx, int phase) override {
    if (phase != 1 || devices_.empty()) return util::Status::Ok();
    DEPIN_ASSIGN_OR_RETURN(FundedCustomer f, FundCustomer(ctx, victim_, 10'000'000'000));
    funded_ = f.dc > 0;
    return util::Status::Ok();
  }

  // A genuine receipt from the victim for real traffic `d` carried, submitted once and kept.
  void Genuine(size_t i, uint64_t now_ms, uint64_t ts, std::vector<wire::v1::Report>* reports) {
    EmulatedDevice& d = devices_[i];
    const crypto::PublicKey& key = d.managed.key.public_key();
    const uint64_t down = 20'000 + d.rng.Below(200'000);
    reports->push_back(
        WrapReceipt(key, ts, victim_.Sign(key, down / 6, down, now_ms, network_id_)));
    given_[i].Observe({reports->back()}, now_ms);
  }

  void Tick(AdversaryContext&, uint64_t now_ms, std::vector<Outgoing>* out) override {
    if (!funded_) return;
    const uint64_t per_tick = spec_.Param("receipts_per_tick");
    const uint64_t min_age_ms = kind_ == ReplayKind::kStale ? spec_.Param("min_age_s") * 1000 : 0;
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      const crypto::PublicKey& key = d.managed.key.public_key();
      std::vector<wire::v1::Report> reports;
      if (spec_.Param("liveness") != 0) {
        AddLiveness(d, now_ms, 1, &reports);  // counts the tick
      } else {
        ++d.ticks;
      }
      uint64_t ts = now_ms + 2;
      // The victim's earlier sessions with the device (the first tick), then now and then a new
      // one: genuine receipts, each submitted once.
      const uint64_t genuine = d.ticks == 1 ? spec_.Param("given") : 0;
      for (uint64_t k = 0; k < genuine; ++k) Genuine(i, now_ms, ts++, &reports);
      if (d.rng.Below(1000) < spec_.Param("usage_permille")) Genuine(i, now_ms, ts++, &reports);
      if (now_ms >= min_age_ms) {
        for (const ReceiptTap::Captured& c : given_[i].Draw(rng_, per_tick, now_ms - min_age_ms)) {
          wire::v1::SignedUsageReceipt receipt = c.receipt;
          if (kind_ == ReplayKind::kModified) Scale(receipt.mutable_receipt());
          reports.push_back(WrapReceipt(key, ts++, receipt));
        }
      }
      // mode: 0 single, 1 batch, 2 alternating per tick.
      const uint64_t mode = spec_.Param("mode");
      const bool batch = mode == 1 || (mode == 2 && d.ticks % 2 == 0);
      Send(d, std::move(reports), now_ms, 0, batch, out);
    }
  }

 private:
  // Byte and DC counts changed by scale_percent; the payer's signature is left as it was.
  void Scale(wire::v1::UsageReceipt* r) const {
    const uint64_t pct = spec_.Param("scale_percent");
    r->set_bytes_up(r->bytes_up() * pct / 100);
    r->set_bytes_down(r->bytes_down() * pct / 100);
    r->set_dc_amount(std::max<uint64_t>(1, r->dc_amount() * pct / 100));
  }

  ReplayKind kind_;
  Customer victim_;
  std::vector<ReceiptTap> given_;  // per device: the genuine receipts it was given
  bool funded_ = false;
};

// Self-dealing: an attacker customer whose router signs receipts for the attacker's own devices.
// wash_trade buys its DC before the price drops (phase 0) and names the drop; colluding_usage
// buys at whatever price holds after it (phase 1) and sends many tiny receipts.
class SelfDealingPopulation : public Population {
 public:
  SelfDealingPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index, bool wash)
      : Population(spec, seed, index),
        wash_(wash),
        customer_(spec.Param("same_owner") != 0
                      ? owner_.key()
                      : DeriveKey(MixSeed(seed, 17, index), "customer", 0),
                  DeriveKey(MixSeed(seed, 17, index), "router", 0), MixSeed(seed, 18, index)) {}

  util::Status Setup(AdversaryContext& ctx, int phase) override {
    if (phase != (wash_ ? 0 : 1) || devices_.empty()) return util::Status::Ok();
    DEPIN_ASSIGN_OR_RETURN(FundedCustomer f, FundCustomer(ctx, customer_, spec_.Param("tokens")));
    paid_dc_.push_back({customer_.router().public_key(), f.tokens, f.dc});
    const uint64_t drop = spec_.Param("price_drop_percent");
    if (wash_ && drop > 0) {
      ctx.new_price_usd_e8 = ctx.economics->price_usd_e8 * (100 - drop) / 100;
    }
    return util::Status::Ok();
  }

  void Tick(AdversaryContext&, uint64_t now_ms, std::vector<Outgoing>* out) override {
    if (paid_dc_.empty()) return;
    for (EmulatedDevice& d : devices_) {
      std::vector<wire::v1::Report> reports;
      if (spec_.Param("liveness") != 0) AddLiveness(d, now_ms, 1, &reports);
      const crypto::PublicKey& key = d.managed.key.public_key();
      uint64_t ts = now_ms + 2;
      if (wash_) {
        const uint64_t bytes = spec_.Param("bytes_per_tick");
        reports.push_back(WrapReceipt(
            key, ts, customer_.Sign(key, bytes / 5, bytes - bytes / 5, now_ms, network_id_)));
      } else {
        const uint64_t real = spec_.Param("bytes_per_receipt");
        const uint64_t claimed = real * (100 + spec_.Param("overclaim_percent")) / 100;
        const uint64_t dc = (real + kBytesPerDc - 1) / kBytesPerDc;
        for (uint64_t k = 0; k < spec_.Param("receipts_per_tick"); ++k) {
          reports.push_back(
              WrapReceipt(key, ts++,
                          SignReceipt(customer_.router(), 1, sequence_++, key, claimed / 5,
                                      claimed - claimed / 5, dc, now_ms, network_id_)));
        }
      }
      Send(d, std::move(reports), now_ms, 0, true, out);
    }
  }

 private:
  bool wash_;
  Customer customer_;
  uint64_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<Population> MakeUsagePopulation(const AdversarySpec& spec, uint64_t seed,
                                                uint32_t index) {
  const std::string& c = spec.class_name;
  if (c == "receipt_replay") {
    return std::make_unique<ReplayPopulation>(spec, seed, index, ReplayKind::kFresh);
  }
  if (c == "replay_modified") {
    return std::make_unique<ReplayPopulation>(spec, seed, index, ReplayKind::kModified);
  }
  if (c == "stale_receipt_replay") {
    return std::make_unique<ReplayPopulation>(spec, seed, index, ReplayKind::kStale);
  }
  if (c == "wash_trade") return std::make_unique<SelfDealingPopulation>(spec, seed, index, true);
  if (c == "colluding_usage") {
    return std::make_unique<SelfDealingPopulation>(spec, seed, index, false);
  }
  return nullptr;
}

}  // namespace depin::fleet
