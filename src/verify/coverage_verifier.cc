#include "verify/coverage_verifier.h"

#include <algorithm>
#include <string>

#include "verify/coverage_math.h"
#include "verify/coverage_state.h"

namespace depin::verify {

using util::Result;
using util::Status;

void FlatIndex64::Reserve(size_t n) {
  size_t cap = 16;
  int bits = 4;
  while (cap < 2 * n) {
    cap *= 2;
    ++bits;
  }
  if (cap <= keys_.size()) return;
  std::vector<uint64_t> old_keys = std::move(keys_);
  std::vector<uint32_t> old_values = std::move(values_);
  keys_.assign(cap, 0);
  values_.assign(cap, kNone);
  shift_ = 64 - bits;
  size_ = 0;
  for (size_t i = 0; i < old_keys.size(); ++i) {
    if (old_values[i] != kNone) Insert(old_keys[i], old_values[i]);
  }
}

uint32_t FlatIndex64::Insert(uint64_t key, uint32_t value) {
  if (2 * (size_ + 1) > keys_.size()) Reserve(std::max<size_t>(16, 2 * (size_ + 1)));
  const size_t mask = keys_.size() - 1;
  for (size_t s = Slot(key);; s = (s + 1) & mask) {
    if (values_[s] == kNone) {
      keys_[s] = key;
      values_[s] = value;
      ++size_;
      return value;
    }
    if (keys_[s] == key) return values_[s];
  }
}

uint32_t FlatIndex64::Find(uint64_t key) const {
  if (keys_.empty()) return kNone;
  const size_t mask = keys_.size() - 1;
  for (size_t s = Slot(key);; s = (s + 1) & mask) {
    if (values_[s] == kNone) return kNone;
    if (keys_[s] == key) return values_[s];
  }
}

std::string FlagReport(const std::vector<DeviceFlag>& flags) {
  std::string out;
  for (const DeviceFlag& f : flags) {
    out +=
        f.device.ToHex() + " " + std::string(InvalidReasonName(f.reason)) + " " + f.evidence + "\n";
  }
  return out;
}

Denylist ProposedDenylist(const std::vector<DeviceFlag>& flags, uint64_t version) {
  std::vector<Key> keys;
  for (const DeviceFlag& f : flags) keys.push_back(f.device);
  return Denylist(version, std::move(keys), {});
}

Status ValidateCoverageParams(const CoverageParams& p, const EpochWindow& w) {
  auto bad = [](const std::string& m) { return Status::InvalidArgument("coverage params: " + m); };
  if (p.beacon_interval_ms == 0) return bad("beacon_interval_ms must be positive");
  if (w.end_ms <= w.start_ms) return bad("epoch window is empty");
  if ((w.end_ms - w.start_ms + p.beacon_interval_ms - 1) / p.beacon_interval_ms > 64) {
    return bad("beacon_interval_ms allows more than 64 intervals per epoch");
  }
  if (w.end_ms - w.start_ms > UINT32_MAX) return bad("epoch longer than 2^32 ms");
  if (p.max_witness_distance_m <= p.min_witness_distance_m) {
    return bad("max_witness_distance_m must exceed min_witness_distance_m");
  }
  if (p.max_rewarded_witnesses == 0) return bad("max_rewarded_witnesses must be positive");
  if (p.witness_target == 0) return bad("witness_target must be positive");
  if (p.witness_decay_ppm >= 1'000'000) return bad("witness_decay_ppm must be below 1000000");
  for (size_t i = 0; i < p.density.size(); ++i) {
    const DensityLevel& d = p.density[i];
    if (d.level < 0 || d.level > 30 || d.limit == 0) {
      return bad("density[" + std::to_string(i) + "]: level must be 0..30 and limit positive");
    }
    if (i > 0 && d.level >= p.density[i - 1].level) {
      return bad("density[" + std::to_string(i) + "]: levels must go from finest to coarsest");
    }
  }
  if (p.collusion.min_ring_size < 2) return bad("collusion.min_ring_size must be at least 2");
  return Status::Ok();
}

CoverageVerifier::CoverageVerifier(const CoverageParams& params, const EpochWindow& window,
                                   std::span<const DeviceInfo> devices)
    : params_(params), window_(window), devices_(devices), state_(std::make_unique<State>()) {}

CoverageVerifier::~CoverageVerifier() = default;

Result<std::unique_ptr<CoverageVerifier>> CoverageVerifier::Create(
    const CoverageParams& params, const EpochWindow& window, std::span<const DeviceInfo> devices,
    std::vector<EntropyRecord> entropy, Denylist denylist, size_t expected_witnesses) {
  DEPIN_RETURN_IF_ERROR(ValidateCoverageParams(params, window));
  std::unique_ptr<CoverageVerifier> v(new CoverageVerifier(params, window, devices));
  State& s = *v->state_;
  s.entropy = std::move(entropy);
  for (uint32_t i = 0; i < s.entropy.size(); ++i) {
    s.entropy_index.emplace_back(Prefix64(s.entropy[i].entropy.data()), i);
  }
  std::sort(s.entropy_index.begin(), s.entropy_index.end());
  const size_t n = devices.size();
  s.denied.assign(n, 0);
  auto slot_of = [&](const Key& k) -> std::optional<uint32_t> {
    auto it = std::lower_bound(devices.begin(), devices.end(), k,
                               [](const DeviceInfo& d, const Key& key) { return d.key < key; });
    if (it == devices.end() || it->key != k) return std::nullopt;
    return static_cast<uint32_t>(it - devices.begin());
  };
  for (const Key& k : denylist.devices()) {
    if (auto slot = slot_of(k)) s.denied[*slot] = 1;
  }
  for (const auto& [a, b] : denylist.edges()) {
    auto sa = slot_of(a), sb = slot_of(b);
    if (!sa || !sb) continue;
    s.denied_edges.push_back(uint64_t{std::min(*sa, *sb)} << 32 | std::max(*sa, *sb));
  }
  std::sort(s.denied_edges.begin(), s.denied_edges.end());
  s.interval_mask.assign(n, 0);
  s.coverage_valid.assign(n, 0);
  s.witnesses.reserve(expected_witnesses);
  s.beacons.reserve(expected_witnesses / 8);
  s.beacon_index.Reserve(expected_witnesses / 8);
  return v;
}

std::optional<InvalidReason> CoverageVerifier::Observe(const ReportView& r,
                                                       const DeviceInfo& device, DeviceWork&) {
  const uint32_t slot = static_cast<uint32_t>(&device - devices_.data());
  std::optional<InvalidReason> reason;
  if (!device.has_asserted_location) {
    reason = InvalidReason::kNoAssertedLocation;
  } else if (state_->denied[slot]) {
    reason = InvalidReason::kDenylisted;
  } else if (r.kind == ReportKind::kCoverageBeacon) {
    reason = ObserveBeacon(r, slot);
  } else {
    reason = ObserveWitness(r, slot);
  }
  if (!reason) ++state_->coverage_valid[slot];
  return reason;
}

namespace {
uint32_t Freq10Hz(uint64_t hz) {
  return static_cast<uint32_t>(std::min<uint64_t>(hz / 10, UINT32_MAX));
}
int16_t ClampI16(int32_t v) {
  return static_cast<int16_t>(std::clamp<int32_t>(v, INT16_MIN, INT16_MAX));
}
}  // namespace

std::optional<InvalidReason> CoverageVerifier::ObserveBeacon(const ReportView& r, uint32_t slot) {
  State& s = *state_;
  const BeaconBody& b = r.beacon;
  // Entropy: known, and the beacon received within max_entropy_age after it was published.
  uint64_t prefix = Prefix64(b.entropy.data());
  auto it = std::lower_bound(s.entropy_index.begin(), s.entropy_index.end(),
                             std::pair<uint64_t, uint32_t>{prefix, 0});
  const EntropyRecord* e = nullptr;
  for (; it != s.entropy_index.end() && it->first == prefix; ++it) {
    if (s.entropy[it->second].entropy == b.entropy) {
      e = &s.entropy[it->second];
      break;
    }
  }
  if (e == nullptr || r.received_ms < e->published_ms ||
      r.received_ms - e->published_ms > params_.max_entropy_age_ms) {
    return InvalidReason::kStaleEntropy;
  }
  Hash32 expected = BeaconPayload(b.entropy, devices_[slot].key);
  if (b.payload.size() != expected.size() ||
      !std::equal(expected.begin(), expected.end(), b.payload.begin())) {
    return InvalidReason::kBadPayload;
  }
  uint64_t interval = (r.received_ms - window_.start_ms) / params_.beacon_interval_ms;
  uint64_t bit = uint64_t{1} << interval;
  if (s.interval_mask[slot] & bit) return InvalidReason::kBeaconTooFrequent;
  BeaconRec rec;
  rec.id_key = Prefix64(b.report_id.data());
  rec.slot = slot;
  rec.received_rel = static_cast<uint32_t>(r.received_ms - window_.start_ms);
  rec.freq_10hz = Freq10Hz(b.frequency_hz);
  rec.payload_fp = PayloadFingerprint(b.payload);
  rec.entropy_index = static_cast<uint32_t>(e - s.entropy.data());
  rec.tx_power_x10 = b.tx_power_dbm_x10;
  uint32_t index = static_cast<uint32_t>(s.beacons.size());
  // A second report with the same id prefix (a replay, or a 2^-64 coincidence) is rejected.
  if (s.beacon_index.Insert(rec.id_key, index) != index) return InvalidReason::kBeaconTooFrequent;
  s.interval_mask[slot] |= bit;
  s.beacons.push_back(rec);
  return std::nullopt;
}

std::optional<InvalidReason> CoverageVerifier::ObserveWitness(const ReportView& r, uint32_t slot) {
  const WitnessBody& w = r.witness;
  if (w.beaconer == devices_[slot].key) return InvalidReason::kSelfWitness;
  WitnessRec rec;
  rec.beacon = Prefix64(w.beacon_id.data());
  rec.slot = slot;
  rec.received_rel = static_cast<uint32_t>(r.received_ms - window_.start_ms);
  rec.payload_fp = PayloadFingerprint(w.payload);
  rec.beaconer_tag = Tag32(w.beaconer);
  rec.freq_10hz = Freq10Hz(w.frequency_hz);
  rec.signal_x10 = ClampI16(w.signal_dbm_x10);
  rec.snr_x10 = ClampI16(w.snr_db_x10);
  if (r.received_ms - window_.start_ms < params_.max_witness_delay_ms) {
    // Maybe a witness of the previous epoch's last beacons: keep its beaconer (rare, so the
    // lookup costs nothing per report in the rest of the epoch).
    auto it = std::lower_bound(devices_.begin(), devices_.end(), w.beaconer,
                               [](const DeviceInfo& d, const Key& key) { return d.key < key; });
    if (it != devices_.end() && it->key == w.beaconer) {
      state_->early_witnesses.emplace_back(static_cast<uint32_t>(state_->witnesses.size()),
                                           static_cast<uint32_t>(it - devices_.begin()));
    }
  }
  state_->witnesses.push_back(rec);
  return std::nullopt;
}

}  // namespace depin::verify
