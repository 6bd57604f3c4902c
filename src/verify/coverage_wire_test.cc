// Coverage reports from the wire format (wire_adapter.h) through the coverage verifier.
#include <gtest/gtest.h>

#include "verify/coverage_test_util.h"
#include "verify/wire_adapter.h"
#include "wire/constants.h"
#include "wire/report.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT

std::string Raw(const uint8_t* p, size_t n) { return std::string(p, p + n); }
std::string Raw(const Key& k) { return Raw(k.bytes.data(), k.bytes.size()); }

TEST(CoverageWireTest, WireBeaconAndWitnessVerify) {
  CoverageParams p;
  p.require_reciprocity = false;
  p.density.clear();
  CoverageFixture f({North(0), North(1'500)}, p);
  const uint64_t t = kEpochStart + 3 * kHourMs;
  const Hash32& entropy = f.EntropyAt(t).entropy;
  Hash32 payload = BeaconPayload(entropy, KeyOf(1));

  wire::v1::Report beacon;
  beacon.set_version(wire::kWireVersion);
  beacon.set_device_key(Raw(KeyOf(1)));
  beacon.set_timestamp_ms(t);
  auto* b = beacon.mutable_coverage_beacon();
  b->set_entropy(Raw(entropy.data(), entropy.size()));
  b->set_payload(Raw(payload.data(), payload.size()));
  b->set_frequency_hz(kFreqHz);
  b->set_tx_power_dbm_x10(270);
  auto bv = ReportViewFromWire(beacon, t, "net");
  ASSERT_TRUE(bv.ok()) << bv.status().ToString();
  EXPECT_EQ(bv->kind, ReportKind::kCoverageBeacon);
  EXPECT_EQ(bv->beacon.report_id, wire::ComputeReportId(beacon, "net").value());

  wire::v1::Report witness;
  witness.set_version(wire::kWireVersion);
  witness.set_device_key(Raw(KeyOf(2)));
  witness.set_timestamp_ms(t + 700);
  auto* w = witness.mutable_coverage_witness();
  w->set_beacon_report_id(Raw(bv->beacon.report_id.data(), 32));
  w->set_beaconer_key(Raw(KeyOf(1)));
  w->set_payload(Raw(payload.data(), payload.size()));
  w->set_signal_dbm_x10(ModelSignalX10(1'500));
  w->set_snr_db_x10(40);
  w->set_frequency_hz(kFreqHz + 1'000);
  w->set_received_at_ms(t + 10);
  auto wv = ReportViewFromWire(witness, t + 700, "net");
  ASSERT_TRUE(wv.ok()) << wv.status().ToString();
  EXPECT_EQ(wv->witness.beaconer, KeyOf(1));
  EXPECT_EQ(wv->witness.heard_at_ms, t + 10);

  f.epoch().Observe(*bv);
  f.epoch().Observe(*wv);
  EpochWork work = f.Finish();
  EXPECT_EQ(work.work[0].valid_reports, 1u);
  EXPECT_EQ(work.work[1].valid_reports, 1u);
  EXPECT_GT(work.work[1].proof_units, 0u);
}

TEST(CoverageWireTest, MalformedHashesAreRejectedWithTheField) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(Raw(KeyOf(1)));
  r.mutable_coverage_beacon()->set_entropy("short");
  auto v = ReportViewFromWire(r, 1, "net");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("coverage_beacon.entropy"), std::string_view::npos);
  wire::v1::Report w;
  w.set_version(wire::kWireVersion);
  w.set_device_key(Raw(KeyOf(1)));
  w.mutable_coverage_witness()->set_beacon_report_id(std::string(31, 'x'));
  auto wv = ReportViewFromWire(w, 1, "net");
  ASSERT_FALSE(wv.ok());
  EXPECT_NE(wv.status().message().find("beacon_report_id"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::verify
