#include "fleet/random.h"

#include "crypto/hash.h"
#include "sim/random.h"
#include "util/bytes.h"

namespace depin::fleet {

uint64_t MixSeed(uint64_t seed, uint64_t stream, uint64_t index) {
  sim::Rng a(seed ^ (stream * 0xD1B54A32D192ED03ull));
  sim::Rng b(a.Next() ^ (index * 0x9E3779B97F4A7C15ull));
  return b.Next();
}

crypto::KeyPair DeriveKey(uint64_t seed, std::string_view role, uint64_t index) {
  util::Bytes msg;
  const std::string_view domain = "opendepin/fleet-key/v1";
  msg.insert(msg.end(), domain.begin(), domain.end());
  msg.push_back(0);
  msg.insert(msg.end(), role.begin(), role.end());
  msg.push_back(0);
  for (uint64_t v : {seed, index}) {
    for (int i = 0; i < 8; ++i) msg.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  const crypto::Hash256 h = crypto::Sha256(msg);
  // A 32-byte seed always makes a key.
  return crypto::KeyPair::FromSeed(util::ByteView(h.data(), h.size())).value();
}

}  // namespace depin::fleet
