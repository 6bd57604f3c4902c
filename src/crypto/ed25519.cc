// Ed25519 through libsodium. libsodium >= 1.0.16 verifies strictly by default: it rejects a
// non-canonical S, a small-order R and a non-canonical or small-order public key.
#include "crypto/ed25519.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/encoding.h"

namespace depin::crypto {
namespace {

static_assert(crypto_sign_PUBLICKEYBYTES == kPublicKeySize);
static_assert(crypto_sign_SEEDBYTES == kSeedSize);
static_assert(crypto_sign_BYTES == kSignatureSize);
static_assert(crypto_sign_SECRETKEYBYTES == 64);

// Runs sodium_init() once per process; aborts if libsodium cannot initialize, because no key can
// be generated safely without its random source.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fprintf(stderr, "crypto: libsodium failed to initialize\n");
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace

util::Status InitCrypto() {
  if (sodium_init() < 0) return util::Status::Internal("crypto: libsodium failed to initialize");
  return util::Status::Ok();
}

std::string PublicKey::ToBase58() const { return util::Base58Encode(bytes); }
std::string PublicKey::ToHex() const { return util::HexEncode(bytes); }

util::Result<PublicKey> PublicKey::FromBytes(util::ByteView raw) {
  if (raw.size() != kPublicKeySize) {
    return util::Status::InvalidArgument("public key: expected 32 bytes, got " +
                                         std::to_string(raw.size()));
  }
  PublicKey key;
  std::memcpy(key.bytes.data(), raw.data(), kPublicKeySize);
  return key;
}

util::Result<PublicKey> PublicKey::FromBase58(std::string_view text) {
  if (text.empty()) return util::Status::InvalidArgument("address: empty");
  util::Result<util::Bytes> raw = util::Base58Decode(text);
  if (!raw.ok()) return raw.status().WithContext("address");
  if (raw->size() != kPublicKeySize) {
    return util::Status::InvalidArgument("address: decodes to " + std::to_string(raw->size()) +
                                         " bytes, a public key is 32");
  }
  return FromBytes(*raw);
}

util::Result<PublicKey> PublicKey::FromHex(std::string_view text) {
  util::Result<util::Bytes> raw = util::HexDecodeExact(text, kPublicKeySize);
  if (!raw.ok()) return raw.status().WithContext("public key");
  return FromBytes(*raw);
}

size_t PublicKeyHash::operator()(const PublicKey& k) const noexcept {
  // Public keys are uniformly distributed curve points, so any 8 bytes make a good hash.
  size_t h = 0;
  std::memcpy(&h, k.bytes.data(), sizeof(h));
  return h;
}

KeyPair KeyPair::Generate() {
  EnsureSodium();
  KeyPair key;
  crypto_sign_keypair(key.public_key_.bytes.data(), key.secret_.data());
  return key;
}

util::Result<KeyPair> KeyPair::FromSeed(util::ByteView seed) {
  if (seed.size() != kSeedSize) {
    return util::Status::InvalidArgument("seed: expected 32 bytes, got " +
                                         std::to_string(seed.size()));
  }
  EnsureSodium();
  KeyPair key;
  crypto_sign_seed_keypair(key.public_key_.bytes.data(), key.secret_.data(), seed.data());
  return key;
}

KeyPair::~KeyPair() { sodium_memzero(secret_.data(), secret_.size()); }

Signature KeyPair::Sign(util::ByteView message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool Verify(const PublicKey& key, util::ByteView message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.bytes.data()) == 0;
}

util::Result<Signature> SignatureFromBytes(util::ByteView raw) {
  if (raw.size() != kSignatureSize) {
    return util::Status::InvalidArgument("signature: expected 64 bytes, got " +
                                         std::to_string(raw.size()));
  }
  Signature sig{};
  std::memcpy(sig.data(), raw.data(), kSignatureSize);
  return sig;
}

}  // namespace depin::crypto
