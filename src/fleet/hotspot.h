// Emulated proof-of-coverage hotspots (LoRa-style, EU868): where they stand, who can hear whom,
// and one beacon round — the beacon a hotspot transmits citing the node's latest PoC entropy
// (docs/proofs.md) and the witness reports of the neighbours that heard it.
//
// Radio: received signal = tx power (EIRP) − FSPL(d, f) − excess loss of a log-distance model
// (exponent 2.8 beyond 100 m, so signals fall faster than free space like real terrain) + log-
// normal shadowing (σ 4 dB, capped at +6 dB so an honest witness stays inside the verifier's
// free-space margin); heard when above the sensitivity (−125 dBm). SNR is the signal over a
// noise floor of about −120 dBm, saturating near +12 dB as LoRa SNR does. The witness hears the
// beacon within a second, on the beacon's frequency ± a few kHz of crystal error. A few witnesses
// are lost (5%) and a few arrive late (2%: they are sent with the next round, more than the
// verifier's 4 s after the beacon).
//
// Honest hard cases, by placement: most hotspots stand within 4 km of their city's centre; some
// share one of two buildings per city (a few metres apart); some are rural, 25–40 km out,
// beyond the city's radio horizon (kHotspotRangeM: terrain and the earth's curvature), with few
// or no neighbours. Simulation only: the doubles never decide an amount.
//
// Thread-safety: pure functions; a beacon round reads the devices' keys and positions and draws
// from the beaconer's own stream, so rounds of different beaconers may run on different threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/hash.h"
#include "fleet/behaviour.h"
#include "wire/proto/report.pb.h"
#include "wire/report.h"

namespace depin::fleet {

inline constexpr double kHotspotRangeM = 20'000.0;     // candidates for witnessing each other
inline constexpr int32_t kHotspotTxPowerDbmX10 = 270;  // 27 dBm EIRP

// Where hotspot `index` of a fleet seeded with `seed` stands, near `city_centre`.
verify::Location PlaceHotspot(uint64_t seed, uint64_t index, size_t city,
                              const verify::Location& city_centre);

// For each device, the indices of the other hotspots within kHotspotRangeM (empty for devices
// that are not hotspots).
std::vector<std::vector<uint32_t>> HotspotNeighbours(const std::vector<EmulatedDevice>& devices);

// A beacon on the air: what a radio in range needs to hear it and witness it.
struct AirBeacon {
  wire::ReportId id{};  // the beacon report's id on its network (witnesses name it)
  crypto::PublicKey beaconer;
  verify::Hash32 payload{};
  verify::Location from;  // where the transmitter really stands (not what it asserts)
  uint64_t frequency_hz = 0;
  uint64_t sent_ms = 0;
};

// The beacon `key` transmits at `now_ms` from `from` on `frequency_hz`, citing `entropy`;
// *air describes it on the air.
wire::v1::Report MakeBeacon(const crypto::PublicKey& key, const verify::Location& from,
                            uint64_t frequency_hz, const crypto::Hash256& entropy,
                            std::string_view network_id, uint64_t now_ms, AirBeacon* air);

// What a radio at `at` hears of `beacon`: the witness report `witness` signs, with RSSI from the
// radio model and shadowing, SNR, frequency error and receive time drawn from `rng`; nullopt when
// below sensitivity or lost. *late is set when it will arrive after the verifier's window.
std::optional<wire::v1::Report> HearBeacon(const AirBeacon& beacon,
                                           const crypto::PublicKey& witness,
                                           const verify::Location& at, sim::Rng& rng, bool* late);

struct SignedByDevice {
  uint64_t device = 0;  // index into the fleet's devices
  wire::v1::Report report;
};

struct BeaconRound {
  wire::v1::Report beacon;                // from the beaconer
  std::vector<SignedByDevice> witnesses;  // to send with the beacon
  std::vector<SignedByDevice> late;       // to send with the next round (too late to count)
};

// The beacon `devices[beaconer]` transmits at `now_ms` citing `entropy`, and what its
// `neighbours` hear; witnesses name the beacon by its report id on `network_id`. Draws from the
// beaconer's stream. *air (when given) describes the beacon on the air, for other radios.
BeaconRound MakeBeaconRound(std::vector<EmulatedDevice>& devices, uint64_t beaconer,
                            const std::vector<uint32_t>& neighbours, const crypto::Hash256& entropy,
                            std::string_view network_id, uint64_t now_ms, AirBeacon* air = nullptr);

// Received signal (dBm x 10) at distance `d_m` before shadowing: tx − FSPL − excess.
double MeanSignalDbm(double d_m, double frequency_hz, double tx_power_dbm);

}  // namespace depin::fleet
