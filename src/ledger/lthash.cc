#include "ledger/lthash.h"

#include <sodium.h>

#include <string>

namespace depin::ledger {
namespace {

constexpr std::string_view kStateDomain = "opendepin/state/v1";

void Expand(std::string_view key, util::ByteView value, std::array<uint16_t, LtHash::kLanes>* out) {
  crypto::Sha256Hasher h;
  h.Update(util::AsBytes(kStateDomain));
  uint8_t len[4];
  for (int i = 0; i < 4; ++i) len[i] = static_cast<uint8_t>(key.size() >> (8 * i));
  h.Update(util::ByteView(len, 4));
  h.Update(util::AsBytes(key));
  h.Update(value);
  crypto::Hash256 seed = h.Finish();
  uint8_t bytes[LtHash::kBytes];
  static const uint8_t kNonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  crypto_stream_chacha20_ietf(bytes, sizeof(bytes), kNonce, seed.data());
  for (size_t i = 0; i < LtHash::kLanes; ++i) {
    (*out)[i] = static_cast<uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  }
}

}  // namespace

void LtHash::Add(std::string_view key, util::ByteView value) {
  std::array<uint16_t, kLanes> v;
  Expand(key, value, &v);
  for (size_t i = 0; i < kLanes; ++i) lanes_[i] = static_cast<uint16_t>(lanes_[i] + v[i]);
}

void LtHash::Remove(std::string_view key, util::ByteView value) {
  std::array<uint16_t, kLanes> v;
  Expand(key, value, &v);
  for (size_t i = 0; i < kLanes; ++i) lanes_[i] = static_cast<uint16_t>(lanes_[i] - v[i]);
}

util::Bytes LtHash::Serialize() const {
  util::Bytes out;
  out.reserve(kBytes);
  util::ByteWriter w(&out);
  for (uint16_t lane : lanes_) w.U16(lane);
  return out;
}

crypto::Hash256 LtHash::Digest() const { return crypto::Sha256(Serialize()); }

util::Result<LtHash> LtHash::Deserialize(util::ByteView data) {
  if (data.size() != kBytes) {
    return util::Status::Corruption("lthash: " + std::to_string(data.size()) + " bytes, expected " +
                                    std::to_string(kBytes));
  }
  LtHash h;
  for (size_t i = 0; i < kLanes; ++i) {
    h.lanes_[i] = static_cast<uint16_t>(data[2 * i] | (data[2 * i + 1] << 8));
  }
  return h;
}

}  // namespace depin::ledger
