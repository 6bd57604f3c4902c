// The operator's denylist: device keys that earn nothing from proof of coverage, and
// (beaconer, witness) edges whose witnesses are rejected. It is loaded at runtime from a text
// file signed with the operator's Ed25519 key, so a reviewer can read it and nobody else can
// change it:
//
//   opendepin-denylist v1
//   version <u64>
//   device <64 hex>            (any number, any order)
//   edge <64 hex> <64 hex>     (unordered pair)
//   signature <128 hex>
//
// The signature covers the network's signing domain (wire/domain.h: "opendepin/denylist/v2", 0x00,
// the length-prefixed network id) || every byte before the "signature" line, so a denylist signed
// for one network is refused by every other.
// Immutable after construction; safe to read from many threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "util/env.h"
#include "util/result.h"
#include "verify/report_view.h"

namespace depin::verify {

class Denylist {
 public:
  Denylist() = default;
  Denylist(uint64_t version, std::vector<Key> devices, std::vector<std::pair<Key, Key>> edges);

  uint64_t version() const { return version_; }
  const std::vector<Key>& devices() const { return devices_; }  // sorted, unique
  // Sorted, unique, each pair with first < second.
  const std::vector<std::pair<Key, Key>>& edges() const { return edges_; }
  bool empty() const { return devices_.empty() && edges_.empty(); }

  bool ContainsDevice(const Key& key) const;
  bool ContainsEdge(const Key& a, const Key& b) const;

  // The signed file text, for `network_id`.
  std::string SignToText(std::string_view network_id, const crypto::KeyPair& operator_key) const;
  // Parses and verifies a signed file. InvalidArgument names the line for malformed text;
  // PermissionDenied when the signature does not verify under `operator_key` for `network_id`.
  static util::Result<Denylist> ParseSigned(std::string_view text, std::string_view network_id,
                                            const Key& operator_key);
  static util::Result<Denylist> Load(util::Env* env, const std::string& path,
                                     std::string_view network_id, const Key& operator_key);
  // The bytes the signature covers: domain(denylist, network_id) || body.
  static util::Bytes SigningBytes(std::string_view network_id, std::string_view body);

 private:
  uint64_t version_ = 0;
  std::vector<Key> devices_;
  std::vector<std::pair<Key, Key>> edges_;
};

}  // namespace depin::verify
