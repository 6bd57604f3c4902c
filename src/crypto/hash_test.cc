#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "util/bytes.h"

namespace depin::crypto {
namespace {

using util::AsBytes;

// FIPS 180-2 appendix B / NIST CAVP examples.
TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(ToHex(Sha256(AsBytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(ToHex(Sha256(AsBytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                 "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256Test, OneMillionAOneShotAndIncremental) {
  const std::string million(1000000, 'a');
  const std::string want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  EXPECT_EQ(ToHex(Sha256(AsBytes(million))), want);

  // The same digest fed in uneven pieces, twice, to show Finish() resets the hasher.
  Sha256Hasher hasher;
  for (int round = 0; round < 2; ++round) {
    size_t pos = 0;
    size_t step = 1;
    while (pos < million.size()) {
      size_t n = std::min(step, million.size() - pos);
      hasher.Update(AsBytes(std::string_view(million).substr(pos, n)));
      pos += n;
      step = step * 3 + 1;
    }
    EXPECT_EQ(ToHex(hasher.Finish()), want) << "round " << round;
  }
}

TEST(Sha256Test, FinishWithoutInputIsEmptyDigest) {
  Sha256Hasher hasher;
  EXPECT_EQ(ToHex(hasher.Finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, ConcurrentCallsAgree) {
  // Sha256() keeps a per-thread context; hashing from many threads must not mix them up.
  const Hash256 want = Sha256(AsBytes("abc"));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (Sha256(AsBytes("abc")) != want) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

// BLAKE2b with a 32-byte digest, no key (RFC 7693 parameters; same answers as `b2sum -l 256`).
TEST(Blake2bTest, KnownAnswers) {
  EXPECT_EQ(ToHex(Blake2b256(AsBytes("abc"))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(ToHex(Blake2b256(AsBytes(""))),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(Blake2bTest, DiffersFromSha256) {
  EXPECT_NE(Blake2b256(AsBytes("abc")), Sha256(AsBytes("abc")));
}

}  // namespace
}  // namespace depin::crypto
