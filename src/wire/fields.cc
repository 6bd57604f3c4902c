#include "wire/fields.h"

#include <algorithm>

namespace depin::wire::internal {
namespace {

template <size_t N>
util::Result<std::array<uint8_t, N>> Exact(const std::string& raw, std::string_view field) {
  if (raw.size() != N) {
    return util::Status::InvalidArgument(std::string(field) + ": " + std::to_string(raw.size()) +
                                         " bytes, want " + std::to_string(N));
  }
  std::array<uint8_t, N> out{};
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

}  // namespace

util::Result<crypto::PublicKey> KeyField(const std::string& raw, std::string_view field) {
  DEPIN_ASSIGN_OR_RETURN(auto bytes, Exact<crypto::kPublicKeySize>(raw, field));
  crypto::PublicKey key;
  key.bytes = bytes;
  return key;
}

util::Result<crypto::Signature> SignatureField(const std::string& raw, std::string_view field) {
  return Exact<crypto::kSignatureSize>(raw, field);
}

util::Result<crypto::Hash256> HashField(const std::string& raw, std::string_view field) {
  return Exact<crypto::kHashSize>(raw, field);
}

bool SameKey(const crypto::PublicKey& key, const std::string& raw) {
  return raw.size() == key.bytes.size() && std::equal(key.bytes.begin(), key.bytes.end(),
                                                      reinterpret_cast<const uint8_t*>(raw.data()));
}

}  // namespace depin::wire::internal
