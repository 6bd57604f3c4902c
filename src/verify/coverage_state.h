// Internal storage of CoverageVerifier (coverage_verifier.cc, coverage_finish.cc): compact
// per-report records and flat per-device arrays. Not part of the public API. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "verify/coverage_verifier.h"

namespace depin::verify {

// Open-addressing hash index from a 64-bit key to a u32 value (linear probing, load <= 1/2).
class FlatIndex64 {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  void Reserve(size_t n);
  // Inserts unless present; returns the value stored for `key` (the existing one if present).
  uint32_t Insert(uint64_t key, uint32_t value);
  uint32_t Find(uint64_t key) const;
  size_t size() const { return size_; }

 private:
  size_t Slot(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t size_ = 0;
  int shift_ = 64;
};

struct BeaconRec {
  uint64_t id_key = 0;        // first 8 bytes of the beacon report id
  uint32_t slot = 0;          // beaconer
  uint32_t received_rel = 0;  // server receive time, ms after epoch start
  uint32_t freq_10hz = 0;     // frequency in units of 10 Hz
  uint32_t payload_fp = 0;
  uint32_t entropy_index = 0;
  int32_t tx_power_x10 = 0;
};
static_assert(sizeof(BeaconRec) == 32);

// Witness record; `beacon` holds the beacon id prefix until Finish resolves it to
// (status << 32 | beacon index), status 0 meaning valid.
struct WitnessRec {
  uint64_t beacon = 0;
  uint32_t slot = 0;  // witness
  uint32_t received_rel = 0;
  uint32_t payload_fp = 0;
  uint32_t beaconer_tag = 0;  // first 4 bytes of the beaconer key it quoted
  uint32_t freq_10hz = 0;
  int16_t signal_x10 = 0;
  int16_t snr_x10 = 0;
};
static_assert(sizeof(WitnessRec) == 32);

struct CoverageVerifier::State {
  std::vector<EntropyRecord> entropy;
  std::vector<std::pair<uint64_t, uint32_t>> entropy_index;  // (prefix, index), sorted
  std::vector<uint8_t> denied;                               // per slot
  std::vector<uint64_t> denied_edges;                        // (min slot << 32 | max), sorted
  std::vector<uint64_t> interval_mask;                       // per slot: intervals beaconed
  std::vector<uint32_t> coverage_valid;  // per slot: coverage reports currently valid
  std::vector<BeaconRec> beacons;
  FlatIndex64 beacon_index;
  std::vector<WitnessRec> witnesses;
  // Witnesses received in the epoch's first max_witness_delay_ms: (index in `witnesses`,
  // beaconer slot). Those whose beacon the epoch does not hold heard a beacon of the epoch
  // before (coverage_radio.h, EarlierWitness).
  std::vector<std::pair<uint32_t, uint32_t>> early_witnesses;
};

inline uint32_t Tag32(const Key& k) {
  return uint32_t{k.bytes[0]} | uint32_t{k.bytes[1]} << 8 | uint32_t{k.bytes[2]} << 16 |
         uint32_t{k.bytes[3]} << 24;
}

}  // namespace depin::verify
