// Ed25519 keys and signatures (libsodium). Device, owner, maker, oracle and producer identities are
// all Ed25519 public keys; their text form is base58 (the "address").
//
// Thread-safety: all functions are thread-safe; call InitCrypto() once before first use (it is
// idempotent and cheap to call again). KeyPair is immutable after construction and wipes its
// secret on destruction.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::crypto {

inline constexpr size_t kPublicKeySize = 32;
inline constexpr size_t kSeedSize = 32;
inline constexpr size_t kSignatureSize = 64;

using Signature = std::array<uint8_t, kSignatureSize>;

// Initializes libsodium. Returns an error only if the library cannot initialize.
util::Status InitCrypto();

struct PublicKey {
  std::array<uint8_t, kPublicKeySize> bytes{};

  util::ByteView view() const { return bytes; }
  std::string ToBase58() const;
  std::string ToHex() const;
  // Accepts exactly 32 bytes; anything else is an InvalidArgument error naming the size.
  static util::Result<PublicKey> FromBytes(util::ByteView raw);
  static util::Result<PublicKey> FromBase58(std::string_view text);
  static util::Result<PublicKey> FromHex(std::string_view text);

  friend bool operator==(const PublicKey&, const PublicKey&) = default;
  friend auto operator<=>(const PublicKey&, const PublicKey&) = default;
};

struct PublicKeyHash {
  size_t operator()(const PublicKey& k) const noexcept;
};

class KeyPair {
 public:
  // A new key from the OS's secure random source.
  static KeyPair Generate();
  // Deterministic key from a 32-byte seed (RFC 8032 "secret key").
  static util::Result<KeyPair> FromSeed(util::ByteView seed);

  KeyPair(const KeyPair& other) = default;
  KeyPair& operator=(const KeyPair& other) = default;
  ~KeyPair();

  const PublicKey& public_key() const { return public_key_; }
  util::ByteView seed() const { return {secret_.data(), kSeedSize}; }
  Signature Sign(util::ByteView message) const;

 private:
  KeyPair() = default;
  PublicKey public_key_;
  std::array<uint8_t, 64> secret_{};  // libsodium layout: seed || public key
};

// True iff `signature` is a valid Ed25519 signature of `message` by `key` (libsodium's strict
// verification: non-canonical encodings and small-order keys are rejected).
bool Verify(const PublicKey& key, util::ByteView message, const Signature& signature);

util::Result<Signature> SignatureFromBytes(util::ByteView raw);

}  // namespace depin::crypto
