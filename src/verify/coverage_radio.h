// Detectors for keys that are not the radios they claim to be:
//  - shared radios: several keys reporting through one radio (asserted apart to dodge density
//    scaling) witness the same beacons with the same signal, up to a constant offset; two real
//    radios, even in one building, differ by independent fading. Candidate pairs come from
//    witnesses of one beacon within 0.5 dB of each other, then each pair with enough candidate
//    beacons is compared exactly over all the beacons both heard.
//  - relayed witnesses: radio links are reciprocal, so a device that hears many beacons is
//    heard back; a key that is fed far-away beacons over the internet witnesses many but its own
//    beacons are heard by no trusted device. A relay that is also a real hotspot at home is heard
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
  uint32_t witnessed = 0;    // witness edges
  uint32_t heard = 0;        // its beacons heard by trusted devices
  uint32_t long_edges = 0;   // witness edges of at least long_edge_m
  uint32_t unsupported = 0;  // of which no trusted device nearby and nearer heard the beaconer
  std::string Evidence() const;
};

// `beaconed[v]` is non-zero when v sent a valid beacon this epoch (only those are judged: a
// device that did not beacon earns no witness units anyway, by reciprocity). `devices[i]` is
// slot i (asserted locations).
std::vector<RelayFlag> DetectRelayedWitnesses(const RadioParams& params,
                                              const TrustParams& trust_params,
                                              const WitnessGraph& graph, const TrustResult& trust,
                                              std::span<const uint8_t> beaconed,
                                              std::span<const DeviceInfo> devices);

}  // namespace depin::verify
