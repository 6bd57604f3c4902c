// Location-spoofing detection by multilateration. Each device is located from its witness
// edges (the devices that heard its beacons; when fewer than min_edges did, also the beaconers
// it heard: what others report about a device is not its own to choose) with the network's
// signal-versus-distance model: received signal = A - slope x 20 log10(distance) + shadowing,
// the slope fitted by least squares over every edge of the epoch (clamped to plausible radio),
// the intercept A fitted per device (unknown antenna gain and power). A pattern search minimizes
// the sum of squared residuals over positions, starting from the asserted location and from the
// signal-weighted centroid of the counterparts. The asserted location is rejected by a
// likelihood-ratio test: (SSE(asserted) - SSE(best)) / sigma^2 above a threshold, with sigma^2
// the residual variance at the best position (floored at the shadowing deviation), and the best
// position at least min_offset_m away. Unlike a centroid, the model knows that a hotspot at the
// edge of a town hears everything from one side, and a 1-2 km move changes the distances, and so
// the expected signals, to every nearby counterpart. Integer arithmetic only (positions in
// metres on a local plane, logarithms from coverage_math.h). Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/collusion.h"
#include "verify/coverage_graph.h"
#include "verify/coverage_params.h"

namespace depin::verify {

struct SpoofFlag {
  uint32_t device = 0;  // slot
  Location asserted;
  Location estimated;          // multilaterated position
  uint32_t offset_m = 0;       // asserted to estimated
  uint32_t spread_m = 0;       // RMS distance of counterparts to the estimate
  uint32_t uncertainty_m = 0;  // radius around the estimate inside which the test would pass
  uint32_t sigma_db_x10 = 0;   // residual deviation at the estimate
  uint64_t lr_x100 = 0;        // the likelihood-ratio statistic x 100
  uint32_t edges = 0;
  std::string Evidence() const;
};

// `devices[i]` is slot i's registry entry (asserted locations). Devices marked in `flagged`
// (other detectors' flags, when given) are not judged, and their edges are left out of every
// other device's fit: a spoofer's or a shared radio's links say where it is not, not where its
// honest neighbour is.
std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& params,
                                              const WitnessGraph& graph,
                                              std::span<const DeviceInfo> devices,
                                              std::span<const uint8_t> flagged = {});
// Convenience: builds the graph from `edges`.
std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& params,
                                              std::span<const WitnessEdge> edges,
                                              std::span<const DeviceInfo> devices);

// A radio far from where it claims to be is heard by its real neighbours, and hears them, far
// stronger than free space allows at the asserted distance: those links are refused one by one
// (signal_too_strong) and never reach multilateration, which is left the weaker links, too
// few or too censored to judge it. The refusals are the evidence. A refused link says one of
// its two ends is not where it claims (or its signal is invented); it is blamed on the end with
// the larger share of refused links, so the honest neighbours of a spoofer, who refuse its
// links among many valid ones, are not blamed for them.
struct RefusedLink {
  uint32_t witness = 0;  // slots
  uint32_t beaconer = 0;
};
struct RefusalFlag {
  uint32_t device = 0;
  uint32_t blamed = 0;  // refused links blamed on it
  uint32_t links = 0;   // its valid and refused links
  std::string Evidence() const;
};
// `graph` holds the valid links; `refused` the links refused as too strong. Sorted by device.
std::vector<RefusalFlag> DetectTooStrongLinks(const SpoofingParams& params,
                                              const WitnessGraph& graph,
                                              std::span<const RefusedLink> refused);

// The least-squares slope (ppm) of signal against 20 log10(distance) over `edges`, clamped to
// the params' bounds; the model multilateration uses.
int64_t FitSignalSlopePpm(const SpoofingParams& params, std::span<const WitnessEdge> edges);

}  // namespace depin::verify
