// SHA-256 through OpenSSL 3's EVP interface with the digest fetched once (EVP_MD_fetch), which
// avoids the per-call implicit fetch that makes EVP_sha256() slow in OpenSSL 3; BLAKE2b-256
// through libsodium.
#include "crypto/hash.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "util/encoding.h"

namespace depin::crypto {
namespace {

// The fetched SHA-256 implementation, shared by every thread for the life of the process.
const EVP_MD* Sha256Md() {
  static EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) {
      std::fprintf(stderr, "crypto: OpenSSL has no SHA256 implementation\n");
      std::abort();
    }
    return fetched;
  }();
  return md;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

CtxPtr NewCtx() {
  CtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) {
    std::fprintf(stderr, "crypto: out of memory allocating EVP_MD_CTX\n");
    std::abort();
  }
  return ctx;
}

void Check(int ok, const char* what) {
  // EVP digest calls on a valid context and fetched digest fail only on programmer error or
  // memory exhaustion; neither can be handled by the caller.
  if (ok != 1) {
    std::fprintf(stderr, "crypto: %s failed\n", what);
    std::abort();
  }
}

}  // namespace

struct Sha256Hasher::Impl {
  CtxPtr ctx = NewCtx();
  void Reset() { Check(EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr), "EVP_DigestInit_ex2"); }
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) { impl_->Reset(); }
Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(util::ByteView data) {
  Check(EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()), "EVP_DigestUpdate");
}

Hash256 Sha256Hasher::Finish() {
  Hash256 out{};
  unsigned int len = 0;
  Check(EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len), "EVP_DigestFinal_ex");
  impl_->Reset();
  return out;
}

Hash256 Sha256(util::ByteView data) { return Sha256(data, {}); }

Hash256 Sha256(util::ByteView first, util::ByteView second) {
  // One context per thread, reused: allocating a context per call costs more than hashing a
  // 200-byte report.
  thread_local CtxPtr ctx = NewCtx();
  Hash256 out{};
  unsigned int len = 0;
  Check(EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr), "EVP_DigestInit_ex2");
  Check(EVP_DigestUpdate(ctx.get(), first.data(), first.size()), "EVP_DigestUpdate");
  if (!second.empty()) {
    Check(EVP_DigestUpdate(ctx.get(), second.data(), second.size()), "EVP_DigestUpdate");
  }
  Check(EVP_DigestFinal_ex(ctx.get(), out.data(), &len), "EVP_DigestFinal_ex");
  return out;
}

Hash256 Blake2b256(util::ByteView data) {
  // sodium_init() selects the fastest BLAKE2b code for this CPU; it is thread-safe and
  // idempotent, and the static makes every later call skip it.
  static const bool sodium_ready = sodium_init() >= 0;
  (void)sodium_ready;
  Hash256 out{};
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

std::string ToHex(const Hash256& h) { return util::HexEncode(h); }

}  // namespace depin::crypto
