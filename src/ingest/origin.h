// Network origin: a privacy-preserving name for where a report came from, recorded with every
// report in the log (docs/log-format.md, "Ingest payload", field 3) so the verifiers can treat many
// devices reporting from one origin like many devices in one cell, and ingest can rate-limit per
// origin. An origin is the first 8 bytes of BLAKE2b keyed with the node's origin key over the
// source address's prefix: the /24 of an IPv4 address (an IPv4-mapped IPv6 address counts as
// IPv4), the /48 of an IPv6 address. The key (32 random bytes in <data dir>/origin.key, mode 0600,
// created on first start) never leaves the node, so the log does not reveal addresses, and
// households in one /24 share an origin the way they share an uplink's provider block.
//
// Origin 0 means "unknown" (the source was not an IP address, or the record predates origins);
// a real prefix never hashes to 0 (it is mapped to 1).
//
// Pure functions; thread-safe. LoadOrCreateOriginKey touches the file system once at start.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/env.h"
#include "util/result.h"

namespace depin::ingest {

using OriginKey = std::array<uint8_t, 32>;
using OriginId = uint64_t;
inline constexpr OriginId kUnknownOrigin = 0;
inline constexpr std::string_view kOriginKeyFile = "origin.key";

// Reads <data_dir>/origin.key, or creates it with 32 random bytes (mode 0600) when missing.
// Corruption when it exists with another size.
util::Result<OriginKey> LoadOrCreateOriginKey(util::Env* env, const std::string& data_dir);

// The origin of a textual source address ("203.0.113.7", "2001:db8::1", "::ffff:10.1.2.3");
// kUnknownOrigin when it is not an IP address.
OriginId OriginOf(std::string_view address, const OriginKey& key);

// 16 hex digits, as shown in explanations and manifests.
std::string OriginHex(OriginId origin);

}  // namespace depin::ingest
