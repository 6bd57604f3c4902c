#include "ingest/origin.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <cstring>

namespace depin::ingest {

util::Result<OriginKey> LoadOrCreateOriginKey(util::Env* env, const std::string& data_dir) {
  const std::string path = util::JoinPath(data_dir, std::string(kOriginKeyFile));
  OriginKey key{};
  if (env->FileExists(path)) {
    DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, env->ReadFile(path));
    if (bytes.size() != key.size()) {
      return util::Status::Corruption(path + ": want 32 bytes, found " +
                                      std::to_string(bytes.size()));
    }
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return key;
  }
  randombytes_buf(key.data(), key.size());
  DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(path, util::ByteView(key.data(), key.size()), 0600));
  return key;
}

OriginId OriginOf(std::string_view address, const OriginKey& key) {
  // inet_pton needs a NUL-terminated string; addresses are short.
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);  // "[2001:db8::1]"
  }
  char text[INET6_ADDRSTRLEN + 1];
  if (address.empty() || address.size() >= sizeof text) return kUnknownOrigin;
  std::memcpy(text, address.data(), address.size());
  text[address.size()] = '\0';
  // The prefix, tagged with its family so an IPv4 /24 and an IPv6 /48 never collide.
  uint8_t prefix[1 + 6] = {};
  size_t prefix_len = 0;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, text, &v4) == 1) {
    prefix[0] = 4;
    std::memcpy(prefix + 1, &v4, 3);  // network byte order: the first three octets
    prefix_len = 4;
  } else if (inet_pton(AF_INET6, text, &v6) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0) {
      prefix[0] = 4;
      std::memcpy(prefix + 1, v6.s6_addr + 12, 3);
      prefix_len = 4;
    } else {
      prefix[0] = 6;
      std::memcpy(prefix + 1, v6.s6_addr, 6);
      prefix_len = 7;
    }
  } else {
    return kUnknownOrigin;
  }
  uint8_t out[crypto_generichash_BYTES_MIN];
  crypto_generichash(out, sizeof out, prefix, prefix_len, key.data(), key.size());
  OriginId id = 0;
  for (int i = 0; i < 8; ++i) id |= static_cast<OriginId>(out[i]) << (8 * i);
  return id == kUnknownOrigin ? 1 : id;
}

std::string OriginHex(OriginId origin) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, origin >>= 4) out[static_cast<size_t>(i)] = kDigits[origin & 15];
  return out;
}

}  // namespace depin::ingest
