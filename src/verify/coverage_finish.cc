// CoverageVerifier::Finish: joins witnesses to beacons, applies the witness checks, runs the
// detectors on the witness graph (collusion rings, trust and Sybil regions, shared radios,
// relays, multilateration), selects rewarded witnesses and writes reward units.
#include <algorithm>

#include "verify/coverage_density.h"
#include "verify/coverage_graph.h"
#include "verify/coverage_math.h"
#include "verify/coverage_radio.h"
#include "verify/coverage_state.h"
#include "verify/coverage_verifier.h"
#include "verify/fixed_point.h"
#include "verify/geo.h"
#include "verify/s2_cells.h"

namespace depin::verify {

namespace {

constexpr uint64_t kStatusShift = 32;
uint64_t Status(InvalidReason r) { return (uint64_t{static_cast<uint8_t>(r)} + 1) << kStatusShift; }
bool IsValid(const WitnessRec& w) { return (w.beacon >> kStatusShift) == 0; }
uint32_t BeaconOf(const WitnessRec& w) { return static_cast<uint32_t>(w.beacon); }

}  // namespace

void CoverageVerifier::Finish(EpochWork& epoch) {
  State& s = *state_;
  const size_t n_dev = devices_.size();
  const size_t n_beacons = s.beacons.size();
  auto reject = [&](WitnessRec& w, InvalidReason reason) {
    DeviceWork& dw = epoch.work[w.slot];
    --dw.valid_reports;
    ++dw.invalid[static_cast<size_t>(reason)];
    --s.coverage_valid[w.slot];
    w.beacon = Status(reason);
    ++stats_.witnesses_rejected;
  };

  // 1. Resolve each witness to its beacon and bucket witnesses by beacon (counting sort).
  std::vector<uint32_t> start(n_beacons + 1, 0);
  for (WitnessRec& w : s.witnesses) {
    uint32_t b = s.beacon_index.Find(w.beacon);
    if (b == FlatIndex64::kNone || Tag32(devices_[s.beacons[b].slot].key) != w.beaconer_tag) {
      reject(w, InvalidReason::kUnknownBeacon);
      continue;
    }
    w.beacon = b;
    ++start[b + 1];
  }
  for (size_t b = 0; b < n_beacons; ++b) start[b + 1] += start[b];
  std::vector<uint32_t> order(start[n_beacons]);
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (uint32_t i = 0; i < s.witnesses.size(); ++i) {
      if (IsValid(s.witnesses[i])) order[fill[BeaconOf(s.witnesses[i])]++] = i;
    }
  }

  // 2. Witness checks, beacon by beacon; valid witnesses become graph edges.
  std::vector<WitnessEdge> edges;
  edges.reserve(order.size());
  std::vector<uint32_t> group;
  std::vector<RefusedLink> refused;  // links refused as stronger than free space allows
  for (uint32_t b = 0; b < n_beacons; ++b) {
    const BeaconRec& beacon = s.beacons[b];
    const DeviceInfo& beaconer = devices_[beacon.slot];
    // FSPL(d, f) = 20 log10(d_mm) + [20 log10(f) - 60 dB - 147.6 dB]; the bracket once per beacon.
    const int64_t fspl_freq = FsplX10(1000, uint64_t{beacon.freq_10hz} * 10) - TwentyLog10X10(1000);
    group.assign(order.begin() + start[b], order.begin() + start[b + 1]);
    std::sort(group.begin(), group.end(), [&](uint32_t x, uint32_t y) {
      const WitnessRec &a = s.witnesses[x], &c = s.witnesses[y];
      return a.slot != c.slot                   ? a.slot < c.slot
             : a.received_rel != c.received_rel ? a.received_rel < c.received_rel
                                                : x < y;
    });
    uint32_t prev_slot = UINT32_MAX;
    for (uint32_t i : group) {
      WitnessRec& w = s.witnesses[i];
      const DeviceInfo& witness = devices_[w.slot];
      if (w.slot == prev_slot) {
        reject(w, InvalidReason::kDuplicateWitness);
        continue;
      }
      prev_slot = w.slot;
      if (!s.denied_edges.empty() &&
          std::binary_search(
              s.denied_edges.begin(), s.denied_edges.end(),
              uint64_t{std::min(w.slot, beacon.slot)} << 32 | std::max(w.slot, beacon.slot))) {
        reject(w, InvalidReason::kDenylistedEdge);
        continue;
      }
      if (w.received_rel > beacon.received_rel &&
          w.received_rel - beacon.received_rel > params_.max_witness_delay_ms) {
        reject(w, InvalidReason::kWitnessTooLate);
        continue;
      }
      if (w.payload_fp != beacon.payload_fp) {
        reject(w, InvalidReason::kBadPayload);
        continue;
      }
      uint64_t fdiff = w.freq_10hz > beacon.freq_10hz ? w.freq_10hz - beacon.freq_10hz
                                                      : beacon.freq_10hz - w.freq_10hz;
      if (fdiff * 10 > params_.max_frequency_diff_hz) {
        reject(w, InvalidReason::kFrequencyMismatch);
        continue;
      }
      uint64_t mm = DistanceMm(beaconer.asserted_location, witness.asserted_location);
      if (mm < uint64_t{params_.min_witness_distance_m} * 1000) {
        reject(w, InvalidReason::kWitnessTooClose);
        continue;
      }
      if (mm > uint64_t{params_.max_witness_distance_m} * 1000) {
        reject(w, InvalidReason::kWitnessTooFar);
        continue;
      }
      int64_t max_signal = int64_t{beacon.tx_power_x10} + params_.fspl_margin_x10 -
                           (TwentyLog10X10(std::max<uint64_t>(mm, 1000)) + fspl_freq);
      if (w.signal_x10 > max_signal) {
        refused.push_back({w.slot, beacon.slot});
        reject(w, InvalidReason::kSignalTooStrong);
        continue;
      }
      if (w.snr_x10 > params_.max_snr_x10 ||
          int32_t{w.signal_x10} - w.snr_x10 < params_.min_noise_floor_dbm_x10) {
        reject(w, InvalidReason::kImplausibleSnr);
        continue;
      }
      edges.push_back({w.slot, beacon.slot, static_cast<uint32_t>(mm / 1000), w.signal_x10, b});
    }
  }
  std::vector<uint32_t>().swap(group);

  // 3. Detectors: flagged devices earn nothing and their beacons reward no one.
  std::vector<uint8_t> flagged(n_dev, 0);
  std::vector<uint8_t> withheld(n_dev, 0);  // unheard, but too late in the epoch to judge
  auto flag = [&](uint32_t slot, InvalidReason reason, std::string evidence) {
    if (flagged[slot]) return;
    flagged[slot] = 1;
    flags_.push_back({devices_[slot].key, reason, std::move(evidence)});
    DeviceWork& dw = epoch.work[slot];
    dw.valid_reports -= s.coverage_valid[slot];
    dw.invalid[static_cast<size_t>(reason)] += s.coverage_valid[slot];
    s.coverage_valid[slot] = 0;
  };
  if (params_.collusion.enabled) {
    auto rings = DetectCollusionRings(params_.collusion, edges, n_dev);
    stats_.rings = rings.size();
    for (const CollusionRing& ring : rings) {
      std::string ev = ring.Evidence();
      for (uint32_t m : ring.members) flag(m, InvalidReason::kCollusionRing, ev);
    }
  }
  {
    // The witness graph as a whole (coverage_graph.h, coverage_radio.h, spoofing.h).
    WitnessGraph graph(edges, n_dev);
    TrustResult trust = PropagateTrust(params_.trust, graph, devices_, window_);
    stats_.trust_seeds = trust.seeds;
    for (const SybilRegion& region : DetectSybilRegions(params_.trust, graph, trust)) {
      ++stats_.sybil_regions;
      std::string ev = region.Evidence();
      for (uint32_t m : region.members) flag(m, InvalidReason::kCollusionRing, ev);
    }
    for (const SharedRadio& radio : DetectSharedRadios(params_.radio, graph, devices_)) {
      std::string ev = radio.Evidence(devices_);
      for (size_t k = 1; k < radio.keys.size(); ++k) {
        ++stats_.shared_radio_keys;
        flag(radio.keys[k], InvalidReason::kCollusionRing, ev);
      }
    }
    // Witnesses are stamped when received: those of a beacon in the epoch's last
    // max_witness_delay_ms may land in the next epoch, where its beacon is unknown. The relay
    // test judges a device on beacons whose witnesses were due inside the epoch, and counts the
    // witnesses that came at this epoch's start of beacons sent just before it (BeaconSeen).
    const uint64_t epoch_ms = window_.end_ms - window_.start_ms;
    std::vector<BeaconSeen> beaconed(n_dev, BeaconSeen::kNone);
    for (const BeaconRec& b : s.beacons) {
      if (uint64_t{b.received_rel} + params_.max_witness_delay_ms <= epoch_ms) {
        beaconed[b.slot] = BeaconSeen::kJudged;
      } else if (beaconed[b.slot] == BeaconSeen::kNone) {
        beaconed[b.slot] = BeaconSeen::kLateOnly;
      }
    }
    std::vector<EarlierWitness> earlier;
    for (const auto& [index, beaconer] : s.early_witnesses) {
      const WitnessRec& w = s.witnesses[index];
      if (w.beacon == Status(InvalidReason::kUnknownBeacon)) earlier.push_back({w.slot, beaconer});
    }
    for (const RelayFlag& f : DetectRelayedWitnesses(params_.radio, params_.trust, graph, trust,
                                                     beaconed, earlier, devices_)) {
      if (f.withheld) {
        ++stats_.relays_withheld;
        withheld[f.device] = 1;
        continue;
      }
      ++stats_.relays;
      flag(f.device, InvalidReason::kLocationSpoof, f.Evidence());
    }
    if (params_.spoofing.enabled) {
      // The links refused as too strong first: their devices' edges would otherwise mislead
      // the multilateration of their honest neighbours (spoofing.h).
      for (const RefusalFlag& f : DetectTooStrongLinks(params_.spoofing, graph, refused)) {
        if (flagged[f.device]) continue;
        ++stats_.refused_spoofers;
        flag(f.device, InvalidReason::kLocationSpoof, f.Evidence());
      }
      auto spoofs = DetectLocationSpoofing(params_.spoofing, graph, devices_, flagged);
      stats_.spoofers = spoofs.size();
      for (const SpoofFlag& f : spoofs) flag(f.device, InvalidReason::kLocationSpoof, f.Evidence());
    }
  }
  for (size_t i = 0; i < n_dev; ++i) {
    if (s.denied[i]) flags_.push_back({devices_[i].key, InvalidReason::kDenylisted, "denylist"});
  }
  std::sort(flags_.begin(), flags_.end(),
            [](const DeviceFlag& a, const DeviceFlag& b) { return a.device < b.device; });
  std::vector<WitnessEdge>().swap(edges);

  // 4. Selection (at most max_rewarded_witnesses per beacon, ordered by a key derived from the
  // beacon's entropy) and HIP-15 units; reciprocity needs both roles.
  std::vector<uint64_t> tx(n_dev, 0), rx(n_dev, 0);
  std::vector<uint8_t> beaconed(n_dev, 0), witnessed(n_dev, 0);
  std::vector<std::pair<uint64_t, uint32_t>> chosen;
  for (uint32_t b = 0; b < n_beacons; ++b) {
    const BeaconRec& beacon = s.beacons[b];
    if (flagged[beacon.slot]) continue;
    beaconed[beacon.slot] = 1;
    ++stats_.beacons;
    const Hash32& entropy = s.entropy[beacon.entropy_index].entropy;
    chosen.clear();
    for (uint32_t k = start[b]; k < start[b + 1]; ++k) {
      const WitnessRec& w = s.witnesses[order[k]];
      if (!IsValid(w) || flagged[w.slot]) continue;
      witnessed[w.slot] = 1;
      chosen.emplace_back(SelectionKey(entropy, devices_[w.slot].key), w.slot);
    }
    stats_.witnesses += chosen.size();
    if (chosen.size() > params_.max_rewarded_witnesses) {
      std::nth_element(chosen.begin(), chosen.begin() + params_.max_rewarded_witnesses,
                       chosen.end());
      chosen.resize(params_.max_rewarded_witnesses);
    }
    stats_.witnesses_rewarded += chosen.size();
    if (chosen.empty()) continue;
    uint64_t units = DiminishingUnitsPpm(static_cast<uint32_t>(chosen.size()),
                                         params_.witness_target, params_.witness_decay_ppm);
    tx[beacon.slot] += ApplyPpm(units, params_.beacon_weight_ppm);
    uint64_t each = ApplyPpm(units, params_.witness_weight_ppm) / chosen.size();
    for (const auto& c : chosen) rx[c.second] += each;
  }
  std::vector<uint32_t>().swap(order);

  // 5. Density scaling over active devices, then units.
  std::vector<uint64_t> cells(n_dev, kInactiveCell);
  const int finest = params_.density.empty() ? 0 : params_.density[0].level;
  for (size_t i = 0; i < n_dev; ++i) {
    if (flagged[i] || (!beaconed[i] && !witnessed[i])) continue;
    cells[i] = S2CellAt(devices_[i].asserted_location, finest);
  }
  std::vector<uint32_t> scale = DensityScalesPpm(params_.density, cells);
  for (size_t i = 0; i < n_dev; ++i) {
    DeviceWork& dw = epoch.work[i];
    dw.has_proof_units = true;
    dw.proof_units = 0;
    if (flagged[i] || withheld[i] || dw.deactivated) continue;
    uint64_t t = tx[i], r = rx[i];
    if (params_.require_reciprocity) {
      if ((t > 0 && !witnessed[i]) || (r > 0 && !beaconed[i])) ++stats_.reciprocity_failures;
      if (!witnessed[i]) t = 0;
      if (!beaconed[i]) r = 0;
    }
    dw.proof_units = ApplyPpm(t + r, scale[i]);
  }
  // The epoch's records are spent; release them (flags and stats stay).
  std::vector<WitnessRec>().swap(s.witnesses);
  std::vector<BeaconRec>().swap(s.beacons);
  std::vector<std::pair<uint32_t, uint32_t>>().swap(s.early_witnesses);
  s.beacon_index = FlatIndex64();
}

}  // namespace depin::verify
