// Golden vectors: testdata/wire/*.hex (format in testdata/wire/README.md). The test rebuilds each
// vector from the deterministic samples and requires the file to match byte for byte, so any change
// to a signing-byte layout shows up here. To rewrite the files after a deliberate format change:
//   DEPIN_REGENERATE_GOLDEN=1 build/bin/depin_wire_tests --gtest_filter='Golden*'
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "crypto/merkle.h"
#include "util/encoding.h"
#include "wire/batch.h"
#include "wire/block.h"
#include "wire/codec.h"
#include "wire/domain.h"
#include "wire/report.h"
#include "wire/test_samples.h"
#include "wire/transaction.h"

namespace depin::wire {
namespace {

using namespace ::depin::wire::testing;  // NOLINT(google-build-using-namespace)

struct Vector {
  std::string name;
  std::string comment;
  std::vector<std::pair<std::string, std::string>> fields;  // in file order

  void Add(std::string key, util::ByteView value) {
    fields.emplace_back(std::move(key), util::HexEncode(value));
  }
  void AddText(std::string key, std::string value) {
    fields.emplace_back(std::move(key), std::move(value));
  }
  std::string Text() const {
    std::string out = "# " + comment + "\n";
    for (const auto& [k, v] : fields) out.append(k).append(": ").append(v).append("\n");
    return out;
  }
  const std::string* Find(const std::string& key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  util::Bytes Hex(const std::string& key) const {
    const std::string* v = Find(key);
    EXPECT_NE(v, nullptr) << name << ": no field " << key;
    if (v == nullptr) return {};
    auto bytes = util::HexDecode(*v);
    EXPECT_TRUE(bytes.ok()) << name << "." << key << ": " << bytes.status().ToString();
    return bytes.ok() ? *bytes : util::Bytes{};
  }
};

util::ByteView View(const std::string& s) { return util::AsBytes(s); }

// Common head of every vector: who signs and the wire message.
Vector Head(std::string name, std::string comment, std::string type, const crypto::KeyPair& key,
            const google::protobuf::Message& message) {
  Vector v{std::move(name), std::move(comment), {}};
  v.AddText("type", std::move(type));
  v.AddText("network_id", kSampleNetwork);  // what the signing domain binds (wire/domain.h)
  v.Add("seed", key.seed());
  v.Add("public_key", key.public_key().view());
  v.Add("message", Serialize(message));
  return v;
}

void Tail(Vector& v, const util::Bytes& signing_bytes, const std::string& signature) {
  v.Add("signing_bytes", signing_bytes);
  v.Add("signature", View(signature));
  v.Add("id", crypto::Sha256(signing_bytes));
}

Vector ReportVector(std::string name, std::string comment, const v1::Report& report) {
  const v1::SignedReport s = *SignReport(report, kSampleNetwork, DeviceKey());
  Vector v =
      Head(std::move(name), std::move(comment), "depin.wire.v1.SignedReport", DeviceKey(), s);
  Tail(v, *ReportSigningBytes(report, kSampleNetwork), s.signature());
  return v;
}

std::vector<Vector> BuildVectors() {
  const crypto::PublicKey device = DeviceKey().public_key();
  std::vector<Vector> out;
  out.push_back(ReportVector("heartbeat", "Heartbeat report: location, S2 cell, mode FULL",
                             SampleHeartbeat(device)));
  out.push_back(ReportVector("coverage_witness",
                             "Coverage witness report: RSSI -108.5 dBm, SNR -2.5 dB",
                             SampleWitness(device)));
  {
    const v1::SignedUsageReceipt r = *SignUsageReceipt(
        SampleUsageReceipt(PayerKey().public_key(), device), kSampleNetwork, PayerKey());
    Vector v = Head("usage_receipt", "Usage receipt signed by the payer (seed 0x02)",
                    "depin.wire.v1.SignedUsageReceipt", PayerKey(), r);
    Tail(v, *UsageReceiptSigningBytes(r.receipt(), kSampleNetwork), r.payer_signature());
    out.push_back(std::move(v));
  }
  out.push_back(ReportVector("data_transfer",
                             "Data-transfer report embedding usage_receipt, signed by the device",
                             SampleDataTransfer(PayerKey(), device)));
  out.push_back(ReportVector("sensor_batch", "Sensor batch report: five weather readings",
                             SampleSensorBatch(device)));
  {
    const std::vector<v1::Report> reports = {SampleHeartbeat(device), SampleWitness(device),
                                             SampleSensorBatch(device)};
    const v1::ReportBatch b = *SignBatch(reports, kSampleTimeMs, kSampleNetwork, DeviceKey());
    const CheckedBatch c = *CheckBatch(b, kSampleNetwork);
    Vector v = Head("report_batch", "Batch of 3 reports under one signature over their Merkle root",
                    "depin.wire.v1.ReportBatch", DeviceKey(), b);
    for (size_t i = 0; i < reports.size(); ++i) {
      v.Add("report_signing_bytes." + std::to_string(i), c.signing_bytes[i]);
    }
    v.Add("root", c.root);
    Tail(v, BatchSigningBytes(kSampleNetwork, c.device_key, b.timestamp_ms(), 3, c.root),
         b.signature());
    out.push_back(std::move(v));
  }
  {
    const v1::Transaction tx = SampleTransfer(PayerKey().public_key());
    const v1::SignedTransaction s = *SignTransaction(tx, PayerKey());
    Vector v = Head("transfer_tx", "Transfer of 1250000000 base units, nonce 7, fee 10",
                    "depin.wire.v1.SignedTransaction", PayerKey(), s);
    Tail(v, *TransactionSigningBytes(tx), s.signature());
    out.push_back(std::move(v));
  }
  {
    const v1::Transaction tx = SampleOnboard();
    v1::SignedTransaction s = *SignTransaction(tx, MakerKey());
    EXPECT_TRUE(AddCosignature(&s, DeviceKey()).ok());
    EXPECT_TRUE(AddCosignature(&s, OwnerKey()).ok());
    Vector v =
        Head("onboard_device_tx",
             "Onboarding signed by the maker (0x05), co-signed by device (0x01) and owner (0x04)",
             "depin.wire.v1.SignedTransaction", MakerKey(), s);
    for (int i = 0; i < s.cosignatures_size(); ++i) {
      v.Add("cosigner_public_key." + std::to_string(i), View(s.cosignatures(i).key()));
      v.Add("cosignature." + std::to_string(i), View(s.cosignatures(i).signature()));
    }
    Tail(v, *TransactionSigningBytes(tx), s.signature());
    out.push_back(std::move(v));
  }
  {
    const v1::SignedTransaction transfer =
        *SignTransaction(SampleTransfer(PayerKey().public_key()), PayerKey());
    const v1::Block b = *SignBlock(SampleHeader(), {transfer}, ProducerKey());
    Vector v = Head("block_header", "Block 42 holding transfer_tx; id is the block hash",
                    "depin.wire.v1.Block", ProducerKey(), b);
    v.Add("tx_root", View(b.header().tx_root()));
    Tail(v, *BlockHeaderSigningBytes(b.header()), b.signature());
    out.push_back(std::move(v));
  }
  return out;
}

std::string GoldenPath(const std::string& name) {
  return std::string(DEPIN_SOURCE_DIR) + "/testdata/wire/" + name + ".hex";
}

// Parses a vector file: "# comment" lines and "key: value" lines.
Vector ReadVector(const std::string& name) {
  Vector v{name, "", {}};
  std::ifstream in(GoldenPath(name));
  EXPECT_TRUE(in.good()) << "cannot read " << GoldenPath(name);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (v.comment.empty()) v.comment = line.substr(line.find_first_not_of("# "));
      continue;
    }
    const size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string::npos) << name << ": bad line " << line;
    if (colon != std::string::npos) v.AddText(line.substr(0, colon), line.substr(colon + 2));
  }
  return v;
}

// Decodes the message as its type and returns (signing bytes, embedded signature, full-API
// verification status) computed by the wire library from the message alone.
struct FromMessage {
  util::Bytes signing_bytes;
  std::string signature;
  util::Status verified;
};

FromMessage Recompute(const std::string& type, const util::Bytes& message) {
  FromMessage out;
  if (type == "depin.wire.v1.SignedReport") {
    auto c = DecodeSignedReport(message, kSampleNetwork);
    if (!c.ok()) return {{}, {}, c.status()};
    return {c->signing_bytes, c->message.signature(), VerifyCheckedReport(*c)};
  }
  if (type == "depin.wire.v1.SignedUsageReceipt") {
    v1::SignedUsageReceipt r;
    if (!r.ParseFromArray(message.data(), static_cast<int>(message.size()))) {
      return {{}, {}, util::Status::InvalidArgument("parse")};
    }
    auto bytes = UsageReceiptSigningBytes(r.receipt(), kSampleNetwork);
    if (!bytes.ok()) return {{}, {}, bytes.status()};
    return {*bytes, r.payer_signature(), VerifyUsageReceipt(r, kSampleNetwork)};
  }
  if (type == "depin.wire.v1.ReportBatch") {
    auto c = DecodeReportBatch(message, kSampleNetwork);
    if (!c.ok()) return {{}, {}, c.status()};
    return {BatchSigningBytes(kSampleNetwork, c->device_key, c->message.timestamp_ms(),
                              static_cast<uint32_t>(c->ids.size()), c->root),
            c->message.signature(), VerifyCheckedBatch(*c)};
  }
  if (type == "depin.wire.v1.SignedTransaction") {
    auto c = DecodeSignedTransaction(message);
    if (!c.ok()) return {{}, {}, c.status()};
    return {c->signing_bytes, c->message.signature(), VerifyCheckedTransaction(*c)};
  }
  if (type == "depin.wire.v1.Block") {
    auto c = DecodeBlock(message);
    if (!c.ok()) return {{}, {}, c.status()};
    return {c->header_signing_bytes, c->message.signature(), VerifyCheckedBlock(*c)};
  }
  return {{}, {}, util::Status::InvalidArgument("unknown type " + type)};
}

// Replaces the first occurrence of `from` in `message` by `to` (same length).
util::Bytes Replace(util::Bytes message, const util::Bytes& from, const util::Bytes& to) {
  auto it = std::search(message.begin(), message.end(), from.begin(), from.end());
  EXPECT_NE(it, message.end());
  if (it != message.end()) std::copy(to.begin(), to.end(), it);
  return message;
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
};

TEST_F(Golden, FilesMatchTheEncoderOrAreRegenerated) {
  const bool regenerate = std::getenv("DEPIN_REGENERATE_GOLDEN") != nullptr;
  for (const Vector& v : BuildVectors()) {
    if (regenerate) {
      std::ofstream(GoldenPath(v.name)) << v.Text();
      continue;
    }
    std::ifstream in(GoldenPath(v.name));
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), v.Text())
        << GoldenPath(v.name) << " differs from the encoder (see golden_test.cc header)";
  }
}

TEST_F(Golden, EveryVectorVerifiesAndEveryTamperFails) {
  std::mt19937_64 rng(std::random_device{}());
  for (const Vector& built : BuildVectors()) {
    const Vector v = ReadVector(built.name);
    SCOPED_TRACE(v.name);
    const std::string* type = v.Find("type");
    ASSERT_NE(type, nullptr);
    const util::Bytes message = v.Hex("message");
    const util::Bytes signing = v.Hex("signing_bytes");
    const util::Bytes sig_bytes = v.Hex("signature");
    auto key = crypto::PublicKey::FromBytes(v.Hex("public_key"));
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(crypto::KeyPair::FromSeed(v.Hex("seed"))->public_key(), *key);
    auto sig = crypto::SignatureFromBytes(sig_bytes);
    ASSERT_TRUE(sig.ok());

    // Decoded message -> signing bytes equal the file; embedded signature equals the file's.
    const FromMessage m = Recompute(*type, message);
    EXPECT_TRUE(m.verified.ok()) << m.verified.ToString();
    EXPECT_EQ(m.signing_bytes, signing);
    EXPECT_EQ(util::HexEncode(util::AsBytes(m.signature)), util::HexEncode(sig_bytes));
    const crypto::Hash256 id = crypto::Sha256(signing);
    EXPECT_EQ(v.Hex("id"), util::Bytes(id.begin(), id.end()));
    EXPECT_TRUE(crypto::Verify(*key, signing, *sig));

    // One bit of the signature: every bit of the first vector, one random bit of the others.
    const bool all_bits = v.name == "heartbeat";
    const size_t first = all_bits ? 0 : rng() % (crypto::kSignatureSize * 8);
    const size_t last = all_bits ? crypto::kSignatureSize * 8 : first + 1;
    for (size_t bit = first; bit < last; ++bit) {
      crypto::Signature flipped = *sig;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_FALSE(crypto::Verify(*key, signing, flipped)) << "signature bit " << bit;
      // The same flip inside the wire message fails the library's verification too.
      const util::Bytes tampered =
          Replace(message, sig_bytes, util::Bytes(flipped.begin(), flipped.end()));
      EXPECT_FALSE(Recompute(*type, tampered).verified.ok()) << "message signature bit " << bit;
    }
    // One byte of the signing bytes.
    util::Bytes altered = signing;
    const size_t at = rng() % altered.size();
    altered[at] ^= 0xff;
    EXPECT_FALSE(crypto::Verify(*key, altered, *sig)) << "signing byte " << at;
  }
}

TEST_F(Golden, AuxiliarySignaturesVerify) {
  const Vector receipt = ReadVector("usage_receipt");
  const Vector report = ReadVector("data_transfer");
  // The payer's receipt is embedded verbatim in the data-transfer report's signing bytes.
  const util::Bytes receipt_bytes = receipt.Hex("signing_bytes");
  const size_t tag_size = SigningDomain(SigningKind::kUsageReceipt, kSampleNetwork).size();
  const util::Bytes receipt_fields(receipt_bytes.begin() + static_cast<ptrdiff_t>(tag_size),
                                   receipt_bytes.end());
  const util::Bytes report_bytes = report.Hex("signing_bytes");
  EXPECT_NE(std::search(report_bytes.begin(), report_bytes.end(), receipt_fields.begin(),
                        receipt_fields.end()),
            report_bytes.end());

  const Vector onboard = ReadVector("onboard_device_tx");
  const util::Bytes signing = onboard.Hex("signing_bytes");
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i);
    auto key = crypto::PublicKey::FromBytes(onboard.Hex("cosigner_public_key." + n));
    auto sig = crypto::SignatureFromBytes(onboard.Hex("cosignature." + n));
    ASSERT_TRUE(key.ok() && sig.ok());
    EXPECT_TRUE(crypto::Verify(*key, signing, *sig));
    crypto::Signature flipped = *sig;
    flipped[63] ^= 0x01;
    EXPECT_FALSE(crypto::Verify(*key, signing, flipped));
  }

  const Vector batch = ReadVector("report_batch");
  std::vector<crypto::Hash256> leaves;
  leaves.reserve(3);
  for (int i = 0; i < 3; ++i) {
    leaves.push_back(
        crypto::MerkleLeafHash(batch.Hex("report_signing_bytes." + std::to_string(i))));
  }
  const crypto::Hash256 root = crypto::MerkleRoot(leaves);
  EXPECT_EQ(batch.Hex("root"), util::Bytes(root.begin(), root.end()));
}

}  // namespace
}  // namespace depin::wire
