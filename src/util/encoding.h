// Text encodings for keys, hashes and signatures: lower-case hex and Bitcoin-alphabet base58.
// Decoders take untrusted text and return a Status naming the offending position.
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::util {

std::string HexEncode(ByteView data);
// Accepts upper or lower case; rejects odd length and non-hex characters.
Result<Bytes> HexDecode(std::string_view text);
// As HexDecode, but also requires exactly `size` decoded bytes.
Result<Bytes> HexDecodeExact(std::string_view text, size_t size);

std::string Base58Encode(ByteView data);
Result<Bytes> Base58Decode(std::string_view text);

}  // namespace depin::util
