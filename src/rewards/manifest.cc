#include "rewards/manifest.h"

#include <algorithm>
#include <array>

#include "wire/transaction.h"

namespace depin::rewards {

// One encoding, owned by the wire format: the ledger verifies claims against the same bytes.
util::Bytes RewardLeafBytes(const Key& key, uint64_t cumulative) {
  return wire::RewardLeafBytes(key, cumulative);
}

std::vector<crypto::Hash256> RewardLeafHashes(const std::vector<RewardLeaf>& leaves) {
  std::vector<crypto::Hash256> hashes;
  hashes.reserve(leaves.size());
  std::array<uint8_t, wire::kRewardLeafBytesSize> bytes;
  for (const RewardLeaf& l : leaves) {
    wire::WriteRewardLeafBytes(l.key, l.cumulative, bytes);
    hashes.push_back(crypto::MerkleLeafHash(bytes));
  }
  return hashes;
}

util::Result<crypto::MerkleProof> RewardProof(const Manifest& m, const Key& key) {
  auto it = std::lower_bound(m.leaves.begin(), m.leaves.end(), key,
                             [](const RewardLeaf& l, const Key& k) { return l.key < k; });
  if (it == m.leaves.end() || !(it->key == key)) {
    return util::Status::NotFound("rewards: epoch " + std::to_string(m.epoch) +
                                  " has no reward leaf for " + key.ToBase58());
  }
  return crypto::MakeMerkleProof(RewardLeafHashes(m.leaves),
                                 static_cast<uint64_t>(it - m.leaves.begin()));
}

const DeviceEntry* FindDevice(const Manifest& m, const Key& device) {
  auto it = std::lower_bound(m.devices.begin(), m.devices.end(), device,
                             [](const DeviceEntry& e, const Key& k) { return e.device < k; });
  if (it == m.devices.end() || !(it->device == device)) return nullptr;
  return &*it;
}

}  // namespace depin::rewards
