// Agreement: one aggregated epoch of the twin equals what the real verifiers derive from the
// reports that behaviour would send. The test turns the twin's per-device counters into
// heartbeats (one per online hour, at the asserted location or as far off as the device's trust
// says), speedtests and co-signed usage receipts (one payer per receipt whose delegation carries
// exactly the twin's cost basis), runs them through EpochVerifier with the default verifiers and
// the same emission, and compares the manifest root and every device's derived values.
#include <gtest/gtest.h>

#include "rewards/compute.h"
#include "twin/model.h"
#include "twin/test_network.h"
#include "verify/uptime_verifier.h"
#include "verify/verifier.h"

namespace depin::twin {
namespace {

using testing::MustParse;
using testing::TestNetwork;
using testing::TestScenarioText;

// `from` moved `metres` north (1 degree of latitude = 111,195 m on the verifiers' sphere).
verify::Location North(verify::Location from, uint64_t metres) {
  from.lat_e7 += static_cast<int32_t>(metres * 10'000'000 / 111'195);
  return from;
}

verify::Key PayerKey(uint64_t n) {
  verify::Key k = DeviceKey(n);
  k.bytes[0] = 0xEE;
  return k;
}

TEST(TwinAgreement, AggregatedEpochEqualsTheRealVerifiersOnTheSameReports) {
  const Scenario s = MustParse(TestScenarioText(
      "[population]\nhonest = \"0.7\"\nuptime_farm = \"0.1\"\nwash_trade = \"0.1\"\n"
      "spoofer = \"0.1\"\n[attack]\nstart_epoch = 0\nwave_epoch = 0\nwave_devices = 40\n"
      "farm_keys_per_origin = 8\nwash_usd_per_epoch = \"2\"\nspoof_distance_m = 350\n",
      120, 1));
  const NetworkParams net = TestNetwork();
  const verify::VerifyParams& vp = net.rewards.verify;
  verify::EpochWork twin_work;
  rewards::Manifest twin_manifest;
  auto run = RunTwin(s, net, 0, [&](const verify::EpochWork& w, const rewards::Manifest& m) {
    twin_work = w;
    twin_manifest = m;
  });
  ASSERT_TRUE(run.ok()) << run.status().ToString();

  // Reports from the same behaviour.
  std::vector<verify::ReportView> reports;
  std::vector<verify::PayerInfo> payers;
  const uint64_t start = twin_work.window.start_ms;
  uint64_t payer_n = 0;
  bool saw_poor = false, saw_reduced_origin = false, saw_self_paid = false;
  for (size_t i = 0; i < twin_work.devices.size(); ++i) {
    const verify::DeviceInfo& d = twin_work.devices[i];
    const verify::DeviceWork& w = twin_work.work[i];
    const uint64_t trust = w.heartbeats ? w.trust_sum_ppm / w.heartbeats : 0;
    const uint64_t off_m = trust == verify::LocationTrustPpm(vp, 0) ? 0 : 350;
    saw_poor |= off_m > 0;
    saw_reduced_origin |= w.origin_ppm < 1'000'000;
    for (uint32_t h = 0; h < 64; ++h) {
      if (!(w.hour_mask >> h & 1)) continue;
      verify::ReportView r;
      r.device = d.key;
      r.kind = verify::ReportKind::kHeartbeat;
      r.received_ms = r.device_ms = start + h * 3'600'000ull + 1'000;
      r.origin = w.origin;
      r.heartbeat.has_location = true;
      r.heartbeat.location = North(d.asserted_location, off_m);
      reports.push_back(r);
    }
    for (uint32_t t = 0; t < w.speedtests; ++t) {
      verify::ReportView r;
      r.device = d.key;
      r.kind = verify::ReportKind::kSpeedtest;
      r.received_ms = r.device_ms = start + 2'000 + t;
      r.origin = w.origin;
      r.speedtest = {w.avg_download_bps, w.avg_upload_bps, static_cast<uint32_t>(w.avg_latency_ms)};
      reports.push_back(r);
    }
    // Receipts: the twin's organic DC (and a wash device's self-paid DC) as receipts, each from
    // a payer whose one delegation carries exactly that DC's basis.
    auto receipt = [&](uint64_t dc, uint64_t basis, const verify::Key& owner) {
      verify::PayerInfo p;
      p.payer = PayerKey(++payer_n);
      p.owner = owner;
      p.dc_balance = dc;
      p.lots = {{dc, basis}};
      payers.push_back(p);
      verify::ReportView r;
      r.device = d.key;
      r.kind = verify::ReportKind::kDataTransfer;
      r.received_ms = r.device_ms = start + 3'000;
      r.origin = w.origin;
      r.usage = {p.payer, payer_n, 0, dc * vp.bytes_per_dc, dc, r.received_ms};
      reports.push_back(r);
    };
    // One receipt carries all of the device's DC; a wash device's payer is its own owner (the
    // usage verifier then flags the DC as self-paid; the reward does not depend on the flag).
    if (w.receipts == 0) continue;
    saw_self_paid |= w.self_paid_dc > 0;
    receipt(w.dc_burned, w.dc_basis, w.self_paid_dc > 0 ? d.owner : PayerKey(0));
  }
  ASSERT_TRUE(saw_poor && saw_reduced_origin && saw_self_paid);

  auto epoch = verify::EpochVerifier::Create(twin_work.window, vp, twin_work.devices);
  ASSERT_TRUE(epoch.ok()) << epoch.status().ToString();
  ASSERT_TRUE(verify::RegisterDefaultVerifiers(**epoch, vp, payers).ok());
  for (const verify::ReportView& r : reports) (*epoch)->Observe(r);
  verify::EpochWork real = (*epoch)->Finish();

  ASSERT_EQ(real.work.size(), twin_work.work.size());
  for (size_t i = 0; i < real.work.size(); ++i) {
    const verify::DeviceWork& a = twin_work.work[i];
    const verify::DeviceWork& b = real.work[i];
    SCOPED_TRACE("device " + std::to_string(DeviceIndex(real.devices[i].key)));
    EXPECT_EQ(a.heartbeat_hours, b.heartbeat_hours);
    EXPECT_EQ(a.uptime_ok, b.uptime_ok);
    EXPECT_EQ(a.location_trust_ppm, b.location_trust_ppm);
    EXPECT_EQ(a.speedtest_tier, b.speedtest_tier);
    EXPECT_EQ(a.speedtest_ppm, b.speedtest_ppm);
    EXPECT_EQ(a.dc_burned, b.dc_burned);
    EXPECT_EQ(a.dc_basis, b.dc_basis);
    EXPECT_EQ(a.usage_bytes, b.usage_bytes);
    EXPECT_EQ(a.self_paid_dc > 0, b.self_paid_dc > 0);
    EXPECT_EQ(a.origin_ppm, b.origin_ppm);
  }
  rewards::RewardInputs in;
  in.emission = twin_manifest.emission;
  in.dc_price = twin_manifest.dc_price;
  auto manifest = rewards::ComputeRewards(net.rewards, in, real);
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(manifest->root, twin_manifest.root);
  EXPECT_EQ(manifest->root, run->rows[0].root);
}

}  // namespace
}  // namespace depin::twin
