// Detectors for keys that are not the radios they claim to be:
//  - shared radios: several keys reporting through one radio (asserted apart to dodge density
//    scaling) witness the same beacons with the same signal, up to a constant offset; two real
//    radios, even in one building, differ by independent fading. Candidate pairs come from
//    witnesses of one beacon within 0.5 dB of each other, then each pair with enough candidate
//    beacons is compared exactly over all the beacons both heard.
//  - relayed witnesses: radio links are reciprocal, so a device that hears many beacons is
//    heard back; a key that is fed far-away beacons over the internet witnesses many but its own
//    beacons are heard by no trusted device. Only a beacon whose witnesses were due inside the
//    epoch can show that (BeaconSeen). A relay that is also a real hotspot at home is heard
//    there, but its long edges are unsupported: trusted devices around it, nearer the far
//    beaconers, hear nothing of them.
// Integers only. Pure functions over their inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/coverage_graph.h"

namespace depin::verify {

struct SharedRadio {
  std::vector<uint32_t> keys;  // device slots; keys[0] keeps earning (the most senior)
  uint32_t common = 0;         // beacons both of the strongest pair witnessed
  uint32_t matched = 0;        // of which with the same signal (after the median offset)
  std::string Evidence(std::span<const DeviceInfo> devices) const;
};

std::vector<SharedRadio> DetectSharedRadios(const RadioParams& params, const WitnessGraph& graph,
                                            std::span<const DeviceInfo> devices);

struct RelayFlag {
  uint32_t device = 0;
  uint32_t witnessed = 0;      // witness edges
  uint32_t heard = 0;          // its beacons heard by trusted devices (earlier ones included)
  uint32_t heard_earlier = 0;  // of which beacons of the epoch before, heard at this one's start
  uint32_t long_edges = 0;     // witness edges of at least long_edge_m
  uint32_t unsupported = 0;    // of which no trusted device nearby and nearer heard the beaconer
  // Unheard, but every beacon it sent came in the epoch's last max_witness_delay_ms, so its
  // witnesses may have landed in the next epoch: not flagged, and its units this epoch are
  // withheld (no beacon whose hearing could be judged, as a device that never beaconed).
  bool withheld = false;
  std::string Evidence() const;
};

// What the relay test knows of a device's valid beacons this epoch. Witnesses are stamped when
// the node receives them, so those of a beacon received in the epoch's last max_witness_delay_ms
// may land in the next epoch: such a beacon can look unheard however many heard it.
enum class BeaconSeen : uint8_t {
  kNone,      // no valid beacon: not judged (no witness units anyway, by reciprocity)
  kJudged,    // a beacon whose witnesses were all due inside the epoch
  kLateOnly,  // only beacons received in the epoch's last max_witness_delay_ms
};

// A witness received in the epoch's first max_witness_delay_ms of a beacon the epoch does not
// hold (sent just before it began, by `beaconer`): evidence that the beaconer was heard.
struct EarlierWitness {
  uint32_t witness = 0;  // slot
  uint32_t beaconer = 0;
};

// `beaconed[v]` says what v beaconed this epoch; `earlier` lists witnesses of the previous
// epoch's last beacons (counted in `heard` when the witness is trusted). A deaf device that
// beaconed kJudged is flagged; one that beaconed kLateOnly is returned with `withheld` set.
// `devices[i]` is slot i (asserted locations).
std::vector<RelayFlag> DetectRelayedWitnesses(const RadioParams& params,
                                              const TrustParams& trust_params,
                                              const WitnessGraph& graph, const TrustResult& trust,
                                              std::span<const BeaconSeen> beaconed,
                                              std::span<const EarlierWitness> earlier,
                                              std::span<const DeviceInfo> devices);

}  // namespace depin::verify
