#include "wire/domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace depin::wire {
namespace {

using ::testing::HasSubstr;

constexpr SigningKind kAllKinds[] = {SigningKind::kReport,      SigningKind::kUsageReceipt,
                                     SigningKind::kReportBatch, SigningKind::kTx,
                                     SigningKind::kLedgerTx,    SigningKind::kBlock,
                                     SigningKind::kDenylist,    SigningKind::kEntropy};

// The layout written out from docs/wire-format.md section 3, independently of the encoder.
TEST(DomainTest, FollowsTheDocumentedLayout) {
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/report/v2");
  w.U8(0);
  w.U32(5);
  w.Raw("dev-1");
  EXPECT_EQ(SigningDomain(SigningKind::kReport, "dev-1"), want);
}

TEST(DomainTest, EveryKindAndEveryNetworkHasItsOwnDomain) {
  std::set<util::Bytes> seen;
  for (SigningKind kind : kAllKinds) {
    EXPECT_THAT(std::string(DomainTag(kind)), ::testing::StartsWith("opendepin/"));
    EXPECT_THAT(std::string(DomainTag(kind)), ::testing::EndsWith("/v2"));
    for (const char* network : {"a", "b", "ab"}) {
      EXPECT_TRUE(seen.insert(SigningDomain(kind, network)).second)
          << DomainTag(kind) << " " << network;
    }
  }
  // The length prefix keeps ("a", "b...") and ("ab", "...") apart.
  EXPECT_NE(SigningDomain(SigningKind::kTx, "a"), SigningDomain(SigningKind::kTx, "ab"));
}

TEST(DomainTest, NetworkIdIsOneTo32Bytes) {
  EXPECT_THAT(CheckNetworkId("").message(), HasSubstr("network_id: 0 bytes, want 1..32"));
  EXPECT_THAT(CheckNetworkId(std::string(33, 'n'), "tx.network_id").message(),
              HasSubstr("tx.network_id: 33 bytes"));
  EXPECT_TRUE(CheckNetworkId("x").ok());
  EXPECT_TRUE(CheckNetworkId(std::string(32, 'n')).ok());
}

}  // namespace
}  // namespace depin::wire
