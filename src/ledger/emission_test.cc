#include "ledger/emission.h"

#include <gtest/gtest.h>

namespace depin::ledger {
namespace {

constexpr uint64_t kToken = 100'000'000;

TEST(EmissionTest, FixedAndHalving) {
  EmissionParams p;
  p.initial_per_epoch = 1000;
  EXPECT_EQ(EmissionSchedule(p).BaseEmission(12345), 1000u);
  p.kind = EmissionKind::kHalving;
  p.halving_interval_epochs = 10;
  EmissionSchedule s(p);
  EXPECT_EQ(s.BaseEmission(0), 1000u);
  EXPECT_EQ(s.BaseEmission(9), 1000u);
  EXPECT_EQ(s.BaseEmission(10), 500u);
  EXPECT_EQ(s.BaseEmission(25), 250u);
  EXPECT_EQ(s.BaseEmission(10 * 64), 0u);
  EXPECT_EQ(s.BaseEmission(UINT64_MAX), 0u);
}

TEST(EmissionTest, DecayHalvesEveryHalfLife) {
  EmissionParams p;
  p.kind = EmissionKind::kDecay;
  p.initial_per_epoch = 1'000'000 * kToken;
  p.half_life_epochs = 365;
  EmissionSchedule s(p);
  // f^h must be just below 1/2: the factor is the largest Q64 value whose h-th power <= 1/2.
  EXPECT_GT(s.decay_factor_q64(), 0u);
  uint64_t at_half_life = s.BaseEmission(365);
  uint64_t exact_half = p.initial_per_epoch / 2;
  EXPECT_LE(at_half_life, exact_half);
  EXPECT_GE(at_half_life, exact_half - exact_half / 1'000'000);  // within 1 ppm
  uint64_t at_two = s.BaseEmission(730);
  EXPECT_LE(at_two, exact_half / 2);
  EXPECT_GE(at_two, exact_half / 2 - exact_half / 1'000'000);
  for (uint64_t e = 1; e < 2000; ++e) EXPECT_LE(s.BaseEmission(e), s.BaseEmission(e - 1));
  // Deterministic: a second schedule computes the same factor and amounts.
  EmissionSchedule again(p);
  EXPECT_EQ(again.decay_factor_q64(), s.decay_factor_q64());
  EXPECT_EQ(again.BaseEmission(1234), s.BaseEmission(1234));
}

// Over 10,000 epochs the supply never exceeds the cap, for halving and decay.
void ExpectCapHolds(EmissionParams p) {
  p.supply_cap = 21'000'000 * kToken;
  EmissionSchedule s(p);
  uint64_t supply = 1'000'000 * kToken;  // genesis
  uint64_t minted_last = 0;
  for (uint64_t e = 0; e < 10'000; ++e) {
    Allowance a = s.AllowanceFor(e, supply, 0);
    ASSERT_LE(a.total, p.supply_cap - supply) << "epoch " << e;
    supply += a.total;
    ASSERT_LE(supply, p.supply_cap) << "epoch " << e;
    minted_last = a.total;
  }
  EXPECT_EQ(minted_last, 0u);  // the cap was reached (or emission died out)
}

TEST(EmissionTest, HalvingNeverExceedsCap) {
  EmissionParams p;
  p.kind = EmissionKind::kHalving;
  p.initial_per_epoch = 50'000 * kToken;
  p.halving_interval_epochs = 210;
  ExpectCapHolds(p);
}

TEST(EmissionTest, DecayNeverExceedsCap) {
  EmissionParams p;
  p.kind = EmissionKind::kDecay;
  p.initial_per_epoch = 50'000 * kToken;
  p.half_life_epochs = 300;
  ExpectCapHolds(p);
}

TEST(EmissionTest, NetEmissionReemitsCappedShare) {
  EmissionParams p;
  p.initial_per_epoch = 100;
  p.reemit_share_bps = 5000;  // 50%
  p.reemit_cap_per_epoch = 30;
  EmissionSchedule s(p);
  EXPECT_EQ(s.ReemitShare(101), 50u);
  Allowance a = s.AllowanceFor(0, 0, 50);
  EXPECT_EQ(a.base, 100u);
  EXPECT_EQ(a.reemit, 30u);
  EXPECT_EQ(a.total, 130u);
  p.supply_cap = 1000;
  Allowance capped = EmissionSchedule(p).AllowanceFor(0, 950, 50);
  EXPECT_EQ(capped.total, 50u);
}

TEST(EmissionTest, ValidateNamesTheField) {
  EmissionParams p;
  p.kind = EmissionKind::kHalving;
  EXPECT_NE(ValidateEmissionParams(p).message().find("halving_interval_epochs"),
            std::string_view::npos);
  p.kind = EmissionKind::kDecay;
  EXPECT_NE(ValidateEmissionParams(p).message().find("half_life_epochs"), std::string_view::npos);
  p.half_life_epochs = 1;
  p.reemit_share_bps = 10001;
  EXPECT_NE(ValidateEmissionParams(p).message().find("reemit_share_bps"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::ledger
