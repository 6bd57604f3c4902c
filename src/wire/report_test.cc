#include "wire/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/limits.h"
#include "wire/sensor.h"
#include "wire/test_samples.h"

namespace depin::wire {
namespace {

using ::testing::HasSubstr;
using namespace ::depin::wire::testing;  // NOLINT(google-build-using-namespace)

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }

  v1::SignedReport Signed(const v1::Report& r) {
    auto s = SignReport(r, kSampleNetwork, device_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : v1::SignedReport();
  }
  // Serializes `s` and decodes it again; the decoder's status.
  util::Status DecodeStatus(const v1::SignedReport& s) {
    return DecodeSignedReport(Serialize(s), kSampleNetwork).status();
  }
  // Signs `r` (whatever it holds) and returns the decoder's verdict on it.
  util::Status DecodeUnsigned(const v1::Report& r) {
    v1::SignedReport s;
    *s.mutable_report() = r;
    s.set_signature(Filled(64, 0));
    return DecodeStatus(s);
  }

  crypto::KeyPair device_ = DeviceKey();
  crypto::PublicKey key_ = device_.public_key();
};

TEST_F(ReportTest, EveryKindRoundTripsAndVerifies) {
  for (const v1::Report& r : AllSampleReports(key_)) {
    SCOPED_TRACE(ReportKindName(KindOf(r)));
    const v1::SignedReport s = Signed(r);
    auto decoded = DecodeSignedReport(Serialize(s), kSampleNetwork);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->message.SerializeAsString(), s.SerializeAsString());
    EXPECT_EQ(decoded->signing_bytes, *ReportSigningBytes(r, kSampleNetwork));
    EXPECT_EQ(decoded->id, crypto::Sha256(decoded->signing_bytes));
    EXPECT_EQ(decoded->id, *ComputeReportId(r, kSampleNetwork));
    EXPECT_EQ(decoded->device_key, key_);
    EXPECT_TRUE(VerifyCheckedReport(*decoded).ok());
    EXPECT_TRUE(VerifySignedReport(s, kSampleNetwork).ok());
  }
}

TEST_F(ReportTest, KindsAreDistinctAndNamed) {
  std::vector<v1::ReportKind> kinds;
  for (const v1::Report& r : AllSampleReports(key_)) kinds.push_back(KindOf(r));
  ASSERT_EQ(kinds.size(), 8u);
  for (size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(static_cast<size_t>(kinds[i]), i + 1);
  EXPECT_EQ(ReportKindName(v1::REPORT_KIND_COVERAGE_WITNESS), "coverage_witness");
  EXPECT_EQ(ReportKindName(static_cast<v1::ReportKind>(99)), "unspecified");
  EXPECT_EQ(KindOf(Envelope(key_)), v1::REPORT_KIND_UNSPECIFIED);
}

// The heartbeat layout written out from docs/wire-format.md, independently of the encoder.
TEST_F(ReportTest, HeartbeatSigningBytesFollowTheDocumentedLayout) {
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/report/v2");
  w.U8(0);
  w.U32(17);  // length of the network id
  w.Raw("opendepin-testnet");
  w.U32(2);  // version
  w.Raw(key_.view());
  w.U64(kSampleTimeMs);
  w.U32(1);  // REPORT_KIND_HEARTBEAT
  w.U8(1);
  w.I32(377749000);
  w.I32(-1224194000);
  w.U32(12);
  w.U8(1);
  w.U64(0x808580c000000000ULL);
  w.U32(1);  // OPERATION_MODE_FULL
  EXPECT_EQ(*ReportSigningBytes(SampleHeartbeat(key_), kSampleNetwork), want);
}

TEST_F(ReportTest, AbsentOptionalsAreEncodedExplicitly) {
  v1::Report with = SampleHeartbeat(key_);
  with.mutable_heartbeat()->mutable_location()->Clear();  // present, at 0,0
  with.mutable_heartbeat()->set_cell(0);                  // present, 0
  v1::Report without = with;
  without.mutable_heartbeat()->clear_location();
  without.mutable_heartbeat()->clear_cell();
  const util::Bytes a = *ReportSigningBytes(with, kSampleNetwork);
  const util::Bytes b = *ReportSigningBytes(without, kSampleNetwork);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), b.size() + 12 + 8);  // lat, lon, accuracy; cell
}

TEST_F(ReportTest, SigningBytesIgnoreProtobufSerializationDetails) {
  const v1::SignedReport s = Signed(SampleWitness(key_));
  util::Bytes bytes = Serialize(s);
  const ReportId id = DecodeSignedReport(bytes, kSampleNetwork)->id;
  // An unknown field (number 99, varint 1) appended by some other encoder or relay.
  bytes.push_back(static_cast<uint8_t>(99 << 3));
  bytes.push_back(0x01);
  // The report again, as a second copy of field 1: protobuf merges, the result is the same report.
  util::Bytes twice = Serialize(s);
  const util::Bytes report_only = Serialize(v1::SignedReport(s).report());
  twice.push_back(0x0a);
  for (size_t n = report_only.size();; n >>= 7) {  // varint length
    twice.push_back(static_cast<uint8_t>((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
    if (n <= 0x7f) break;
  }
  twice.insert(twice.end(), report_only.begin(), report_only.end());
  for (const util::Bytes& variant : {bytes, twice}) {
    auto decoded = DecodeSignedReport(variant, kSampleNetwork);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->id, id);
    EXPECT_TRUE(VerifyCheckedReport(*decoded).ok());
    EXPECT_EQ(Serialize(decoded->message), Serialize(s));  // unknown field dropped
  }
}

TEST_F(ReportTest, DecoderChecksSizeBeforeParsing) {
  const util::Bytes junk(kMaxReportBytes + 1, 0xff);  // not even valid protobuf
  auto r = DecodeSignedReport(junk, kSampleNetwork);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), util::Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("16385 bytes, max 16384"));
}

TEST_F(ReportTest, DecoderRejectsMalformedProtobuf) {
  const util::Bytes junk = {0x0a, 0x50, 0x01};  // field 1 claims 80 bytes, 1 follows
  EXPECT_THAT(DecodeSignedReport(junk, kSampleNetwork).status().message(),
              HasSubstr("malformed protobuf"));
}

TEST_F(ReportTest, DecoderRejectsEachStructuralProblemWithItsOwnMessage) {
  v1::SignedReport good = Signed(SampleHeartbeat(key_));
  ASSERT_TRUE(DecodeStatus(good).ok());

  v1::SignedReport s = good;
  s.set_signature(Filled(63, 1));
  EXPECT_THAT(DecodeStatus(s).message(), HasSubstr("signed_report.signature: 63 bytes, want 64"));
  s = good;
  s.clear_report();
  EXPECT_THAT(DecodeStatus(s).message(), HasSubstr("signed_report.report: missing"));
  s = good;
  s.mutable_report()->set_version(1);  // wire v1: not bound to a network, retired
  EXPECT_THAT(DecodeStatus(s).message(), HasSubstr("report.version: unknown version 1, want 2"));
  EXPECT_EQ(DecodeStatus(s).code(), util::Code::kUnsupported);
  s = good;
  s.mutable_report()->set_device_key(Filled(31, 1));
  EXPECT_THAT(DecodeStatus(s).message(), HasSubstr("report.device_key: 31 bytes, want 32"));
  s = good;
  s.mutable_report()->clear_heartbeat();
  EXPECT_THAT(DecodeStatus(s).message(), HasSubstr("report.body: missing"));
}

struct BodyCase {
  const char* name;
  void (*mutate)(v1::Report*);
  const char* want;
};

TEST_F(ReportTest, DecoderRejectsEveryOutOfRangeBodyField) {
  const BodyCase cases[] = {
      {"lat",
       [](v1::Report* r) { r->mutable_heartbeat()->mutable_location()->set_lat_e7(900000001); },
       "report.heartbeat.location.lat_e7: 900000001 outside"},
      {"lon",
       [](v1::Report* r) { r->mutable_heartbeat()->mutable_location()->set_lon_e7(-1800000001); },
       "report.heartbeat.location.lon_e7: -1800000001 outside"},
      {"mode",
       [](v1::Report* r) {
         r->mutable_heartbeat()->set_operation_mode(static_cast<v1::OperationMode>(9));
       },
       "report.heartbeat.operation_mode: unknown mode 9"},
      {"entropy",
       [](v1::Report* r) {
         *r = SampleBeacon(DeviceKey().public_key());
         r->mutable_coverage_beacon()->set_entropy("x");
       },
       "report.coverage_beacon.entropy: 1 bytes, want 32"},
      {"beacon payload",
       [](v1::Report* r) {
         *r = SampleBeacon(DeviceKey().public_key());
         r->mutable_coverage_beacon()->set_payload(Filled(kMaxBeaconPayloadBytes + 1, 7));
       },
       "report.coverage_beacon.payload: 257 bytes, want 0..256"},
      {"beacon id",
       [](v1::Report* r) {
         *r = SampleWitness(DeviceKey().public_key());
         r->mutable_coverage_witness()->set_beacon_report_id("");
       },
       "report.coverage_witness.beacon_report_id: 0 bytes, want 32"},
      {"beaconer",
       [](v1::Report* r) {
         *r = SampleWitness(DeviceKey().public_key());
         r->mutable_coverage_witness()->set_beaconer_key(Filled(33, 1));
       },
       "report.coverage_witness.beaconer_key: 33 bytes, want 32"},
      {"no receipt",
       [](v1::Report* r) {
         *r = SampleDataTransfer(PayerKey(), DeviceKey().public_key());
         r->mutable_data_transfer()->clear_receipt();
       },
       "report.data_transfer.receipt: missing"},
      {"receipt device",
       [](v1::Report* r) {
         *r = SampleDataTransfer(PayerKey(), OtherKey().public_key());
         r->set_device_key(Raw(DeviceKey().public_key()));
       },
       "report.data_transfer.receipt.device_key: does not match report.device_key"},
      {"payer sig",
       [](v1::Report* r) {
         *r = SampleDataTransfer(PayerKey(), DeviceKey().public_key());
         r->mutable_data_transfer()->set_payer_signature("sig");
       },
       "report.data_transfer.payer_signature: 3 bytes, want 64"},
      {"no readings",
       [](v1::Report* r) {
         *r = Envelope(DeviceKey().public_key());
         r->mutable_sensor_batch();
       },
       "report.sensor_batch.readings: 0 entries, want 1..256"},
      {"many readings",
       [](v1::Report* r) {
         *r = SampleSensorBatch(DeviceKey().public_key());
         while (r->sensor_batch().readings_size() <= 256)
           r->mutable_sensor_batch()->add_readings()->set_parameter(1);
       },
       "report.sensor_batch.readings: 257 entries"},
      {"parameter 0",
       [](v1::Report* r) {
         *r = SampleSensorBatch(DeviceKey().public_key());
         r->mutable_sensor_batch()->mutable_readings(2)->set_parameter(0);
       },
       "report.sensor_batch.readings.parameter: 0 is not a parameter"},
      {"leaf index",
       [](v1::Report* r) {
         *r = SampleStorageProof(DeviceKey().public_key());
         r->mutable_storage_proof()->set_leaf_index(8);
       },
       "report.storage_proof.leaf_index: 8 not below leaf_count 8"},
      {"leaf data",
       [](v1::Report* r) {
         *r = SampleStorageProof(DeviceKey().public_key());
         r->mutable_storage_proof()->set_leaf_data(Filled(kMaxStorageLeafBytes + 1, 1));
       },
       "report.storage_proof.leaf_data: 4097 bytes"},
      {"siblings",
       [](v1::Report* r) {
         *r = SampleStorageProof(DeviceKey().public_key());
         for (int i = 0; i < 62; ++i) r->mutable_storage_proof()->add_siblings(Filled(32, 1));
       },
       "report.storage_proof.siblings: 65 entries, want 0..64"},
      {"sibling size",
       [](v1::Report* r) {
         *r = SampleStorageProof(DeviceKey().public_key());
         r->mutable_storage_proof()->set_siblings(1, "short");
       },
       "report.storage_proof.siblings: 5 bytes, want 32"},
      {"job id",
       [](v1::Report* r) {
         *r = SampleComputeReceipt(DeviceKey().public_key());
         r->mutable_compute_receipt()->clear_job_id();
       },
       "report.compute_receipt.job_id: 0 bytes, want 32"},
  };
  for (const BodyCase& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Report r = SampleHeartbeat(key_);
    c.mutate(&r);
    const util::Status st = DecodeUnsigned(r);
    EXPECT_EQ(st.code(), util::Code::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr(c.want));
    EXPECT_FALSE(ReportSigningBytes(r, kSampleNetwork).ok());
  }
}

TEST_F(ReportTest, TamperedReportFailsVerification) {
  v1::SignedReport s = Signed(SampleSpeedtest(key_));
  s.mutable_report()->mutable_speedtest()->set_download_bps(999'000'000);
  const util::Status st = VerifySignedReport(s, kSampleNetwork);
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("signed_report.signature: does not verify"));
}

TEST_F(ReportTest, ReportSignedByAnotherKeyFailsVerification) {
  v1::Report r = SampleHeartbeat(key_);
  v1::SignedReport s;
  *s.mutable_report() = r;
  const crypto::Signature sig = OtherKey().Sign(*ReportSigningBytes(r, kSampleNetwork));
  s.set_signature(sig.data(), sig.size());
  EXPECT_EQ(VerifySignedReport(s, kSampleNetwork).code(), util::Code::kUnauthenticated);
}

TEST_F(ReportTest, SignReportRefusesAKeyThatIsNotTheReportsDevice) {
  auto s = SignReport(SampleHeartbeat(key_), kSampleNetwork, OtherKey());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("is not report.device_key"));
}

TEST_F(ReportTest, ForgedPayerSignatureFailsEvenWhenTheDeviceSignsIt) {
  v1::Report r = SampleDataTransfer(PayerKey(), key_);
  r.mutable_data_transfer()->mutable_receipt()->set_dc_amount(1'000'000);  // inflated after signing
  const v1::SignedReport s = Signed(r);
  const util::Status st = VerifySignedReport(s, kSampleNetwork);
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("report.data_transfer.receipt.payer_signature"));
}

TEST_F(ReportTest, UsageReceiptSignAndVerify) {
  const crypto::KeyPair payer = PayerKey();
  const v1::UsageReceipt receipt = SampleUsageReceipt(payer.public_key(), key_);
  auto s = SignUsageReceipt(receipt, kSampleNetwork, payer);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(VerifyUsageReceipt(*s, kSampleNetwork).ok());
  EXPECT_FALSE(SignUsageReceipt(receipt, kSampleNetwork, OtherKey()).ok());

  v1::SignedUsageReceipt tampered = *s;
  tampered.mutable_receipt()->set_sequence(4);  // replaying under a new sequence number
  EXPECT_EQ(VerifyUsageReceipt(tampered, kSampleNetwork).code(), util::Code::kUnauthenticated);

  v1::UsageReceipt self = receipt;
  self.set_device_key(self.payer_key());
  EXPECT_THAT(UsageReceiptSigningBytes(self, kSampleNetwork).status().message(),
              HasSubstr("usage_receipt.payer_key: equals device_key"));
}

TEST(SensorTable, IdsAreDenseOrderedAndNamed) {
  uint32_t want = 1;
  for (const SensorParameterInfo& p : SensorParameters()) {
    EXPECT_EQ(static_cast<uint32_t>(p.id), want++);
    EXPECT_FALSE(p.name.empty());
    EXPECT_LT(p.min_milli, p.max_milli);
    EXPECT_EQ(FindSensorParameter(static_cast<uint32_t>(p.id)), &p);
  }
  EXPECT_EQ(FindSensorParameter(1)->name, "temperature");
  EXPECT_EQ(FindSensorParameter(0), nullptr);
  EXPECT_EQ(FindSensorParameter(want), nullptr);
}

}  // namespace
// A signature binds its network: a report, and the payer's receipt inside it, signed for network
// A are refused by network B (Unauthenticated naming the network), and have another id there.
TEST_F(ReportTest, AReportSignedForOneNetworkDoesNotVerifyOnAnother) {
  v1::Report r = Envelope(key_);
  *r.mutable_data_transfer() =
      *SignUsageReceipt(SampleUsageReceipt(PayerKey().public_key(), key_), "network-a", PayerKey());
  const v1::SignedReport s = *SignReport(r, "network-a", device_);
  EXPECT_TRUE(VerifySignedReport(s, "network-a").ok());
  const util::Status st = VerifySignedReport(s, "network-b");
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("signed_report.signature: does not verify"));
  EXPECT_THAT(st.message(), HasSubstr("for network 'network-b'"));
  auto decoded = DecodeSignedReport(Serialize(s), "network-b");
  ASSERT_TRUE(decoded.ok());  // well formed everywhere; only the signature check refuses it
  EXPECT_EQ(VerifyCheckedReport(*decoded).code(), util::Code::kUnauthenticated);
  EXPECT_NE(*ComputeReportId(r, "network-a"), *ComputeReportId(r, "network-b"));
}

TEST_F(ReportTest, AReceiptSignedForOneNetworkDoesNotVerifyOnAnother) {
  const crypto::KeyPair payer = PayerKey();
  const v1::SignedUsageReceipt s =
      *SignUsageReceipt(SampleUsageReceipt(payer.public_key(), key_), "network-a", payer);
  EXPECT_TRUE(VerifyUsageReceipt(s, "network-a").ok());
  const util::Status st = VerifyUsageReceipt(s, "network-b");
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("payer_signature: does not verify"));
  // The device re-signs the report for B around A's receipt: the payer's signature still fails.
  v1::Report r = Envelope(key_);
  *r.mutable_data_transfer() = s;
  const v1::SignedReport report = *SignReport(r, "network-b", device_);
  EXPECT_THAT(VerifySignedReport(report, "network-b").message(),
              HasSubstr("report.data_transfer.receipt.payer_signature: does not verify"));
}

TEST_F(ReportTest, SigningNeedsANetworkIdOfOneTo32Bytes) {
  const v1::Report r = SampleHeartbeat(key_);
  EXPECT_THAT(ReportSigningBytes(r, "").status().message(),
              HasSubstr("network_id: 0 bytes, want 1..32"));
  EXPECT_FALSE(ReportSigningBytes(r, std::string(33, 'x')).ok());
  EXPECT_TRUE(ReportSigningBytes(r, std::string(32, 'x')).ok());
  EXPECT_FALSE(
      SignUsageReceipt(SampleUsageReceipt(PayerKey().public_key(), key_), "", PayerKey()).ok());
}

}  // namespace depin::wire
