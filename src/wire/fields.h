// Conversions from protobuf byte fields to typed crypto values, with errors that name the field
// ("report.device_key: 31 bytes, want 32"). Internal to depin_wire. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/result.h"

namespace depin::wire::internal {

util::Result<crypto::PublicKey> KeyField(const std::string& raw, std::string_view field);
util::Result<crypto::Signature> SignatureField(const std::string& raw, std::string_view field);
util::Result<crypto::Hash256> HashField(const std::string& raw, std::string_view field);

// True iff `raw` holds exactly the bytes of `key`.
bool SameKey(const crypto::PublicKey& key, const std::string& raw);

}  // namespace depin::wire::internal
