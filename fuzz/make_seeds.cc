// depin_fuzz_seeds OUT_DIR: writes each fuzz target's seed corpus into OUT_DIR/<target>/, from
// the golden vectors (testdata/wire/*.hex, their "message" line) and the wire layer's test
// samples (one valid message of every report and transaction kind), so every fuzzer starts from
// inputs that pass its decoder and mutates from there. Deterministic: the same files every run.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "config/network_template.h"
#include "crypto/merkle.h"
#include "ingest/log_payload.h"
#include "ingest/report_log_frame.h"
#include "ingest/report_log_index.h"
#include "ingest/submission.h"
#include "ledger/block.h"
#include "ledger/tx_codec.h"
#include "rewards/compute.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"
#include "verify/denylist.h"
#include "verify/test_util.h"
#include "wire/batch.h"
#include "wire/block.h"
#include "wire/codec.h"
#include "wire/report.h"
#include "wire/test_samples.h"
#include "wire/transaction.h"

using namespace depin;
namespace fs = std::filesystem;
namespace samples = depin::wire::testing;

namespace {

fs::path g_out;

void Write(const std::string& target, const std::string& name, util::ByteView bytes) {
  const fs::path dir = g_out / target;
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}
void Write(const std::string& target, const std::string& name, std::string_view text) {
  Write(target, name, util::AsBytes(text));
}
// A seed whose first byte selects the target's mode.
void WriteMode(const std::string& target, const std::string& name, uint8_t mode,
               util::ByteView bytes) {
  util::Bytes b{mode};
  b.insert(b.end(), bytes.begin(), bytes.end());
  Write(target, name, b);
}

template <typename T>
T Must(util::Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "depin_fuzz_seeds: %s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

// The "message:" value of a golden vector file.
util::Bytes GoldenMessage(const std::string& name) {
  std::ifstream in(std::string(DEPIN_SOURCE_DIR) + "/testdata/wire/" + name + ".hex");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("message: ", 0) == 0) return Must(util::HexDecode(line.substr(9)));
  }
  std::fprintf(stderr, "depin_fuzz_seeds: no message in golden vector %s\n", name.c_str());
  std::exit(1);
}

uint8_t KindIndex(const wire::v1::Report& r) { return static_cast<uint8_t>(wire::KindOf(r) - 1); }

// The body sub-message of a sample report, serialized (report_kinds' input after its kind byte).
util::Bytes BodyBytes(const wire::v1::Report& r) {
  const auto* field = r.GetDescriptor()->FindFieldByNumber(r.body_case());
  return wire::Serialize(r.GetReflection()->GetMessage(r, field));
}

std::string Http(std::string_view method, std::string_view target, std::string_view body = "",
                 std::string_view extra_headers = "") {
  std::string req = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: node\r\n";
  req += extra_headers;
  if (!body.empty() || method == "POST") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return req + "\r\n" + std::string(body);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: depin_fuzz_seeds OUT_DIR\n");
    return 2;
  }
  g_out = argv[1];
  if (!crypto::InitCrypto().ok()) return 1;
  const crypto::KeyPair device = samples::DeviceKey();

  // --- Reports: one of every kind, signed; a batch of all of them with its proofs. ---
  const std::vector<wire::v1::Report> reports = samples::AllSampleReports(device.public_key());
  util::Bytes submission;
  std::vector<util::Bytes> signed_bytes;
  for (const wire::v1::Report& r : reports) {
    const std::string kind(wire::ReportKindName(wire::KindOf(r)));
    const util::Bytes bytes =
        wire::Serialize(Must(wire::SignReport(r, samples::kSampleNetwork, device)));
    signed_bytes.push_back(bytes);
    Write("signed_report", kind, bytes);
    WriteMode("report_kinds", kind, KindIndex(r), BodyBytes(r));
    ingest::AppendSubmissionEntry(ingest::kSubmissionSignedReportField, bytes, &submission);
  }
  for (const char* golden :
       {"heartbeat", "coverage_witness", "data_transfer", "sensor_batch", "usage_receipt"}) {
    Write("signed_report", std::string("golden_") + golden, GoldenMessage(golden));
  }
  const wire::v1::ReportBatch batch =
      Must(wire::SignBatch(reports, samples::kSampleTimeMs, samples::kSampleNetwork, device));
  const util::Bytes batch_bytes = wire::Serialize(batch);
  WriteMode("report_batch", "batch", 0, batch_bytes);
  WriteMode("report_batch", "golden_batch", 0, GoldenMessage("report_batch"));
  ingest::AppendSubmissionEntry(ingest::kSubmissionBatchField, batch_bytes, &submission);
  Write("submission", "singles", util::ByteView(submission));

  util::Bytes proven_submission;
  std::vector<util::Bytes> payloads;
  for (size_t i = 0; i < reports.size(); ++i) {
    const util::Bytes proof =
        wire::Serialize(Must(wire::MakeInclusionProof(batch, i, samples::kSampleNetwork)));
    const util::Bytes report = wire::Serialize(reports[i]);
    if (i == 0) WriteMode("report_batch", "proof", 1, proof);
    util::Bytes batched;
    ingest::AppendSubmissionEntry(ingest::kBatchedReportReportField, report, &batched);
    ingest::AppendSubmissionEntry(ingest::kBatchedReportProofField, proof, &batched);
    ingest::AppendSubmissionEntry(ingest::kSubmissionProvenReportField, batched,
                                  &proven_submission);
    util::Bytes payload;
    ingest::EncodeBatchedReportPayload(report, proof, &payload);
    payloads.push_back(payload);
    payload.clear();
    ingest::EncodeSignedReportPayload(signed_bytes[i], &payload);
    payloads.push_back(payload);
  }
  Write("submission", "proven", util::ByteView(proven_submission));
  Write("submission", "empty", std::string_view());

  // --- Report log: a segment of frames, single payloads, an index. ---
  util::Bytes segment;
  for (size_t i = 0; i < payloads.size(); ++i) {
    ingest::EncodeFrame(samples::kSampleTimeMs + i, 7, payloads[i], &segment);
    if (i < 4) WriteMode("log_frame", "payload_" + std::to_string(i), 1, payloads[i]);
  }
  WriteMode("log_frame", "segment", 0, segment);
  WriteMode("log_frame", "index", 2,
            ingest::EncodeIndex({{{7, 0}, 3, 300}, {{7, 1}, 1, 90}, {{8, 0}, 0, 0}}));

  // --- Transactions: every kind in wire format, the golden ones, and native encodings. ---
  std::vector<wire::v1::SignedTransaction> signed_txs;
  for (const wire::v1::Transaction& tx : samples::AllSampleTransactions(device.public_key())) {
    if (!wire::RequiredCosigners(tx).empty()) continue;  // onboard/slash: below, co-signed
    signed_txs.push_back(Must(wire::SignTransaction(tx, device)));
  }
  {
    wire::v1::SignedTransaction onboard =
        Must(wire::SignTransaction(samples::SampleOnboard(), samples::MakerKey()));
    for (const crypto::KeyPair& k : {samples::DeviceKey(), samples::OwnerKey()}) {
      if (!wire::AddCosignature(&onboard, k).ok()) break;
    }
    signed_txs.push_back(onboard);
  }
  std::vector<ledger::Tx> native_txs;
  for (const wire::v1::SignedTransaction& stx : signed_txs) {
    const util::Bytes bytes = wire::Serialize(stx);
    const std::string kind(wire::TxKindName(wire::KindOf(stx.tx())));
    Write("transaction", kind, bytes);
    auto tx = ledger::DecodeWireTx(bytes);
    if (!tx.ok()) continue;
    tx->wire_signing_bytes.clear();  // the native layout of the same transaction
    tx->wire_encoded.clear();
    ledger::SignTx(&*tx, device);
    Write("transaction", "native_" + kind, ledger::EncodeTx(*tx));
    native_txs.push_back(*tx);
  }
  Write("transaction", "golden_transfer", GoldenMessage("transfer_tx"));
  Write("transaction", "golden_onboard", GoldenMessage("onboard_device_tx"));

  // --- Blocks: a wire block, a ledger header, a ledger body. ---
  WriteMode("block", "wire_block", 0,
            wire::Serialize(Must(wire::SignBlock(samples::SampleHeader(),
                                                 {signed_txs.begin(), signed_txs.begin() + 3},
                                                 samples::ProducerKey()))));
  ledger::BlockHeader header;
  header.network_id = samples::kSampleNetwork;
  header.height = 42;
  header.timestamp_ms = static_cast<int64_t>(samples::kSampleTimeMs);
  header.tx_count = static_cast<uint32_t>(native_txs.size());
  ledger::SignBlock(&header, samples::ProducerKey());
  WriteMode("block", "ledger_header", 1, ledger::EncodeBlockHeader(header));
  WriteMode("block", "ledger_body", 2, ledger::EncodeBlockBody(native_txs));

  // --- A reward manifest (the rewards tests' example epoch). ---
  {
    using verify::testing::KeyOf;
    rewards::RewardConfig config = rewards::DefaultRewardConfig(KeyOf(80), KeyOf(81));
    verify::EpochWork work;
    work.window = verify::testing::DayEpoch();
    work.devices = {verify::testing::Device(1, 9), verify::testing::Device(2, 9)};
    work.work.resize(2);
    for (auto& w : work.work) {
      w.uptime_ok = true;
      w.heartbeat_hours = 20;
      w.valid_reports = 22;
      w.location_trust_ppm = 1'000'000;
      w.speedtest_ppm = 1'000'000;
    }
    work.work[1].receipts = 3;
    work.work[1].dc_burned = 100;
    work.payer_burns = {{KeyOf(50), 100}};
    rewards::RewardInputs inputs;
    inputs.emission = 1'000'000'007;
    inputs.dc_price = {1'000, 1};
    inputs.prior = {{KeyOf(1), 5}, {KeyOf(7), 9}};
    const rewards::Manifest manifest = Must(rewards::ComputeRewards(config, inputs, work));
    Write("manifest_json", "canonical", rewards::ManifestToJson(manifest));
    Write("manifest_json", "pretty", rewards::ManifestToPrettyJson(manifest));
  }

  // --- The network file `depin init` writes. ---
  config::TemplateKeys keys;
  keys.governance = samples::KeyFromFill(0x10).public_key().ToBase58();
  keys.producer = samples::ProducerKey().public_key().ToBase58();
  keys.price_oracle = samples::KeyFromFill(0x11).public_key().ToBase58();
  keys.reward_oracle = samples::KeyFromFill(0x12).public_key().ToBase58();
  keys.maker = samples::MakerKey().public_key().ToBase58();
  keys.genesis_time_ms = static_cast<int64_t>(samples::kSampleTimeMs);
  Write("network_config", "template", config::RenderNetworkTemplate(keys));

  // --- Denylists (signed by KeyFromFill(0x07), the key denylist_fuzz.cc checks against). ---
  const verify::Denylist list(
      5, {samples::DeviceKey().public_key(), samples::OwnerKey().public_key()},
      {{samples::DeviceKey().public_key(), samples::PayerKey().public_key()}});
  const std::string text = list.SignToText(samples::kSampleNetwork, samples::KeyFromFill(0x07));
  WriteMode("denylist", "signed", 0, util::AsBytes(text));
  WriteMode("denylist", "body", 1, util::AsBytes(text.substr(0, text.rfind("signature "))));

  // --- HTTP requests to the node's routes (http_router_fuzz.cc: its admin token is "fuzzfuzz...").
  // ---
  const std::string auth = "Authorization: Bearer fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz\r\n";
  const std::string proto = "Content-Type: application/x-protobuf\r\n";
  const std::string json = "Content-Type: application/json\r\n";
  const std::string account = samples::OwnerKey().public_key().ToBase58();
  const std::string device_b58 = device.public_key().ToBase58();
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"health", Http("GET", "/v1/health")},
      {"metrics", Http("GET", "/metrics")},
      {"reports", Http("POST", "/v1/reports", util::AsChars(submission), proto)},
      {"reports_proven", Http("POST", "/v1/reports", util::AsChars(proven_submission), proto)},
      {"tx", Http("POST", "/v1/ledger/tx", util::AsChars(wire::Serialize(signed_txs[0])), proto)},
      {"tx_json",
       Http("POST", "/v1/ledger/tx",
            "{\"tx_hex\":\"" + util::HexEncode(ledger::EncodeTx(native_txs[0])) + "\"}", json)},
      {"tx_status", Http("GET", "/v1/ledger/tx/" + std::string(64, 'a'))},
      {"account", Http("GET", "/v1/ledger/accounts/" + account)},
      {"account_devices", Http("GET", "/v1/ledger/accounts/" + account + "/devices")},
      {"delegation", Http("GET", "/v1/ledger/accounts/" + account + "/delegations/" + device_b58)},
      {"ledger_device", Http("GET", "/v1/ledger/devices/" + device_b58)},
      {"block", Http("GET", "/v1/ledger/blocks/1")},
      {"head", Http("GET", "/v1/ledger/head")},
      {"epochs", Http("GET", "/v1/epochs?limit=5&offset=0")},
      {"epoch", Http("GET", "/v1/epochs/1")},
      {"summary", Http("GET", "/v1/network/summary")},
      {"net_health", Http("GET", "/v1/network/health?limit=2")},
      {"devices", Http("GET", "/v1/devices?limit=10")},
      {"device", Http("GET", "/v1/devices/" + device_b58)},
      {"devices_query",
       Http("POST", "/v1/devices/query", "{\"keys\":[\"" + device_b58 + "\"]}", json)},
      {"cells", Http("GET", "/v1/cells?level=12")},
      {"explorer_blocks", Http("GET", "/v1/explorer/blocks")},
      {"explorer_block", Http("GET", "/v1/explorer/blocks/1")},
      {"explorer_tx", Http("GET", "/v1/explorer/tx/" + std::string(64, 'b'))},
      {"explorer_account", Http("GET", "/v1/explorer/accounts/" + account)},
      {"admin_devices",
       Http("POST", "/v1/admin/devices",
            "{\"key\":\"" + device_b58 + "\",\"active\":true,\"kinds\":[\"heartbeat\"]}",
            json + auth)},
      {"admin_denylist", Http("POST", "/v1/admin/denylist", text, auth)},
      {"admin_denylist_get", Http("GET", "/v1/admin/denylist", "", auth)},
      {"admin_rerun", Http("POST", "/v1/admin/epochs/1/rerun", "", auth)},
      {"index", Http("GET", "/")},
      {"asset", Http("GET", "/assets/../../etc/passwd")},
  };
  for (const auto& [name, request] : requests) Write("http_router", name, request);
  return 0;
}
