// Canonical JSON for reward manifests, for people and the API, and its SHA-256 (the
// manifest_hash posted to the ledger next to the root). Canonical: object keys sorted (nlohmann's
// default map), arrays in the manifest's deterministic order, compact separators, keys in base58,
// hashes in hex, and every integer of 64 bits or more as a decimal string (JavaScript numbers
// lose precision above 2^53); 32-bit counters, ppm values and booleans are JSON numbers/booleans.
// The format is documented in docs/rewards.md ("opendepin/reward-manifest/v1").
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "crypto/hash.h"
#include "rewards/manifest.h"
#include "util/result.h"

namespace depin::rewards {

inline constexpr std::string_view kManifestFormat = "opendepin/reward-manifest/v1";

// Receives consecutive pieces of the canonical text.
using JsonSink = std::function<void(std::string_view)>;

// Streams the canonical text to `sink` in pieces (about 1 MiB at most), so a million-device
// manifest can be written to a file or hashed without holding its text in memory.
void WriteManifestJson(const Manifest& manifest, const JsonSink& sink);
// The canonical text (no trailing newline).
std::string ManifestToJson(const Manifest& manifest);
// As ManifestToJson, indented for reading; not canonical, not hashed. Builds a DOM: for small
// manifests and inspection.
std::string ManifestToPrettyJson(const Manifest& manifest);
// SHA-256 of ManifestToJson(manifest), computed while streaming.
crypto::Hash256 ManifestHash(const Manifest& manifest);
// Parses a manifest written by ManifestToJson (canonical or pretty). InvalidArgument naming the
// JSON path of the first bad field; Corruption if the leaves do not hash to the stated root.
util::Result<Manifest> ManifestFromJson(std::string_view text);
// As ManifestFromJson, but keeps only `device`'s entry in `devices` (none if it has none), so
// explaining one device of a million-device manifest does not build a DOM of every device. Pools,
// recipients, leaves and the root check are complete.
util::Result<Manifest> ManifestFromJsonForDevice(std::string_view text, const Key& device);

}  // namespace depin::rewards
