#include "wire/test_samples.h"

#include <cstdlib>

#include "wire/constants.h"
#include "wire/report.h"

namespace depin::wire::testing {

crypto::KeyPair KeyFromFill(uint8_t fill) {
  const util::Bytes seed(crypto::kSeedSize, fill);
  auto key = crypto::KeyPair::FromSeed(seed);
  if (!key.ok()) std::abort();  // a 32-byte seed always works
  return *key;
}
crypto::KeyPair DeviceKey() { return KeyFromFill(0x01); }
crypto::KeyPair PayerKey() { return KeyFromFill(0x02); }
crypto::KeyPair ProducerKey() { return KeyFromFill(0x03); }
crypto::KeyPair OwnerKey() { return KeyFromFill(0x04); }
crypto::KeyPair MakerKey() { return KeyFromFill(0x05); }
crypto::KeyPair OtherKey() { return KeyFromFill(0x06); }

std::string Raw(const crypto::PublicKey& key) {
  return std::string(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size());
}
std::string Filled(size_t n, uint8_t fill) { return std::string(n, static_cast<char>(fill)); }

v1::Report Envelope(const crypto::PublicKey& device) {
  v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(Raw(device));
  r.set_timestamp_ms(kSampleTimeMs);
  return r;
}

v1::Report SampleHeartbeat(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* h = r.mutable_heartbeat();
  h->mutable_location()->set_lat_e7(377749000);    // 37.7749 N
  h->mutable_location()->set_lon_e7(-1224194000);  // 122.4194 W
  h->mutable_location()->set_accuracy_m(12);
  h->set_cell(0x808580c000000000ULL);  // an S2 cell over San Francisco
  h->set_operation_mode(v1::OPERATION_MODE_FULL);
  return r;
}

v1::Report SampleBeacon(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* b = r.mutable_coverage_beacon();
  b->set_entropy(Filled(32, 0xe1));
  b->set_payload("beacon-payload-01");
  b->set_frequency_hz(904'300'000);
  b->set_tx_power_dbm_x10(270);
  b->set_data_rate(2);
  b->set_channel(5);
  return r;
}

v1::Report SampleWitness(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* w = r.mutable_coverage_witness();
  w->set_beacon_report_id(Filled(32, 0xb0));
  w->set_beaconer_key(Raw(OtherKey().public_key()));
  w->set_payload("beacon-payload-01");
  w->set_signal_dbm_x10(-1085);  // -108.5 dBm
  w->set_snr_db_x10(-25);        // -2.5 dB
  w->set_frequency_hz(904'300'000);
  w->set_data_rate(2);
  w->set_received_at_ms(kSampleTimeMs - 1'250);
  return r;
}

v1::UsageReceipt SampleUsageReceipt(const crypto::PublicKey& payer,
                                    const crypto::PublicKey& device) {
  v1::UsageReceipt u;
  u.set_payer_key(Raw(payer));
  u.set_device_key(Raw(device));
  u.set_session_id(0x5e55'1011);
  u.set_sequence(3);
  u.set_bytes_up(1'048'576);
  u.set_bytes_down(52'428'800);
  u.set_dc_amount(2'400);
  u.set_timestamp_ms(kSampleTimeMs - 500);
  return u;
}

v1::Report SampleDataTransfer(const crypto::KeyPair& payer, const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto signed_receipt =
      SignUsageReceipt(SampleUsageReceipt(payer.public_key(), device), kSampleNetwork, payer);
  if (!signed_receipt.ok()) std::abort();
  *r.mutable_data_transfer() = *signed_receipt;
  return r;
}

v1::Report SampleSpeedtest(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* s = r.mutable_speedtest();
  s->set_download_bps(312'000'000);
  s->set_upload_bps(48'500'000);
  s->set_latency_ms(23);
  return r;
}

v1::Report SampleSensorBatch(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* b = r.mutable_sensor_batch();
  const struct {
    uint32_t parameter;
    int64_t value_milli;
  } kReadings[] = {{1, 21'375}, {2, 64'200}, {3, 1'013'250}, {4, 3'600}, {5, 247'000}};
  uint64_t t = kSampleTimeMs - 60'000;
  for (const auto& k : kReadings) {
    auto* reading = b->add_readings();
    reading->set_parameter(k.parameter);
    reading->set_value_milli(k.value_milli);
    reading->set_timestamp_ms(t);
    t += 1'000;
  }
  b->mutable_readings(0)->set_value_milli(-4'125);  // one negative value: -4.125 degC
  return r;
}

v1::Report SampleStorageProof(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* s = r.mutable_storage_proof();
  s->set_contract_id(Filled(32, 0xc0));
  s->set_challenge_seed(Filled(32, 0xc1));
  s->set_leaf_index(5);
  s->set_leaf_count(8);
  s->set_leaf_data(Filled(64, 0xd5));
  for (uint8_t i = 0; i < 3; ++i) s->add_siblings(Filled(32, 0xa0 + i));
  s->set_root(Filled(32, 0xcf));
  return r;
}

v1::Report SampleComputeReceipt(const crypto::PublicKey& device) {
  v1::Report r = Envelope(device);
  auto* c = r.mutable_compute_receipt();
  c->set_job_id(Filled(32, 0x10));
  c->set_checkpoints_root(Filled(32, 0x11));
  c->set_checkpoint_count(16);
  c->set_work_units(1'000'000);
  c->set_duration_ms(3'600'000);
  return r;
}

std::vector<v1::Report> AllSampleReports(const crypto::PublicKey& device) {
  return {SampleHeartbeat(device),    SampleBeacon(device),
          SampleWitness(device),      SampleDataTransfer(PayerKey(), device),
          SampleSpeedtest(device),    SampleSensorBatch(device),
          SampleStorageProof(device), SampleComputeReceipt(device)};
}

v1::Transaction TxEnvelope(const crypto::PublicKey& signer) {
  v1::Transaction tx;
  tx.set_version(wire::kWireVersion);
  tx.set_network_id(kSampleNetwork);
  tx.set_signer(Raw(signer));
  tx.set_nonce(7);
  tx.set_fee(10);
  return tx;
}

v1::Transaction SampleTransfer(const crypto::PublicKey& signer) {
  v1::Transaction tx = TxEnvelope(signer);
  tx.mutable_transfer()->set_to(Raw(OtherKey().public_key()));
  tx.mutable_transfer()->set_amount(1'250'000'000);
  return tx;
}

v1::Transaction SampleOnboard() {
  v1::Transaction tx = TxEnvelope(MakerKey().public_key());
  auto* b = tx.mutable_onboard_device();
  b->set_device_key(Raw(DeviceKey().public_key()));
  b->set_owner(Raw(OwnerKey().public_key()));
  b->set_maker(Raw(MakerKey().public_key()));
  b->set_device_class(3);
  return tx;
}

std::vector<v1::Transaction> AllSampleTransactions(const crypto::PublicKey& signer) {
  const std::string device = Raw(DeviceKey().public_key());
  const std::string other = Raw(OtherKey().public_key());
  std::vector<v1::Transaction> out;
  auto next = [&] { return &out.emplace_back(TxEnvelope(signer)); };
  *next() = SampleTransfer(signer);
  {
    auto* b = next()->mutable_burn_for_credits();
    b->set_amount(5'000'000);
    b->set_recipient(other);
    b->set_min_credits(100'000);
  }
  next()->mutable_delegate_credits()->set_delegate(other);
  out.back().mutable_delegate_credits()->set_amount(40'000);
  {
    auto* b = next()->mutable_submit_price();
    b->set_price_e8(123'456'789);
    b->set_confidence_e8(100'000);
    b->set_observed_at_ms(kSampleTimeMs);
  }
  next()->mutable_register_maker()->set_maker_key(other);
  out.back().mutable_register_maker()->set_name("Acme Hotspots");
  {
    v1::Transaction onboard = SampleOnboard();
    onboard.set_signer(Raw(signer));
    *next() = onboard;
  }
  {
    auto* b = next()->mutable_assert_location();
    b->set_device_key(device);
    b->set_cell(0x808580c000000000ULL);
    b->set_gain_dbi_x10(30);
    b->set_elevation_m(12);
  }
  next()->mutable_transfer_device()->set_device_key(device);
  out.back().mutable_transfer_device()->set_new_owner(other);
  next()->mutable_stake()->set_amount(1'000'000);
  out.back().mutable_stake()->set_device_key(device);
  next()->mutable_unstake()->set_amount(400'000);
  next()->mutable_withdraw()->set_amount(400'000);
  {
    auto* b = next()->mutable_post_reward_root();
    b->set_epoch(12);
    b->set_root(Filled(32, 0x77));
    b->set_total_minted(9'000'000'000);
    b->set_leaf_count(1'500);
    b->set_manifest_hash(Filled(32, 0x78));
  }
  {
    auto* b = next()->mutable_claim_rewards();
    b->set_device_key(device);
    b->set_epoch(12);
    b->set_cumulative_amount(88'000'000);
    b->set_leaf_index(3);
    b->set_leaf_count(5);
    for (uint8_t i = 0; i < 3; ++i) b->add_siblings(Filled(32, 0x90 + i));
  }
  {
    auto* b = next()->mutable_slash();
    b->set_staker(other);
    b->set_device_key(device);
    b->set_amount(250'000);
    b->set_reason(v1::SLASH_REASON_FAILED_AUDIT);
    b->set_evidence_hash(Filled(32, 0xee));
    b->add_cosigners(other);  // a quorum slash: OtherKey co-signs
  }
  next()->mutable_set_device_status()->set_device_key(device);
  out.back().mutable_set_device_status()->set_status(v1::DEVICE_STATUS_SUSPENDED);
  out.back().mutable_set_device_status()->set_reason(17);
  next()->mutable_spend_credits()->set_owner(other);
  out.back().mutable_spend_credits()->set_network(3);
  out.back().mutable_spend_credits()->set_amount(25'000);
  {
    auto* b = next()->mutable_settle_usage();
    b->set_epoch(12);
    b->set_chunk(1);
    auto* d = b->add_debits();
    d->set_payer(device);
    d->set_dc(40'000);
    d = b->add_debits();
    d->set_payer(other);
    d->set_dc(7);
  }
  return out;
}

v1::BlockHeader SampleHeader() {
  v1::BlockHeader h;
  h.set_version(wire::kWireVersion);
  h.set_network_id(kSampleNetwork);
  h.set_height(42);
  h.set_prev_hash(Filled(32, 0x41));
  h.set_state_hash(Filled(32, 0x53));
  h.set_timestamp_ms(kSampleTimeMs);
  h.set_producer(Raw(ProducerKey().public_key()));
  return h;
}

}  // namespace depin::wire::testing
