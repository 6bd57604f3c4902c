// Deterministic sample messages for the wire tests and the golden vectors: fixed-seed keys and one
// well-formed message of every report kind and transaction kind. Test-only; thread-safe (pure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "wire/proto/ledger.pb.h"
#include "wire/proto/report.pb.h"

namespace depin::wire::testing {

// Key from a seed of 32 bytes all equal to `fill` (device 0x01, payer 0x02, producer 0x03,
// owner 0x04, maker 0x05, other 0x06).
crypto::KeyPair KeyFromFill(uint8_t fill);
crypto::KeyPair DeviceKey();
crypto::KeyPair PayerKey();
crypto::KeyPair ProducerKey();
crypto::KeyPair OwnerKey();
crypto::KeyPair MakerKey();
crypto::KeyPair OtherKey();

std::string Raw(const crypto::PublicKey& key);
// `n` bytes all equal to `fill`.
std::string Filled(size_t n, uint8_t fill);

inline constexpr uint64_t kSampleTimeMs = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
inline constexpr char kSampleNetwork[] = "opendepin-testnet";

// A report envelope (version 1, device key, kSampleTimeMs) without a body.
v1::Report Envelope(const crypto::PublicKey& device);
v1::Report SampleHeartbeat(const crypto::PublicKey& device);
v1::Report SampleBeacon(const crypto::PublicKey& device);
v1::Report SampleWitness(const crypto::PublicKey& device);
v1::UsageReceipt SampleUsageReceipt(const crypto::PublicKey& payer,
                                    const crypto::PublicKey& device);
// A data-transfer report whose receipt is signed by `payer`.
v1::Report SampleDataTransfer(const crypto::KeyPair& payer, const crypto::PublicKey& device);
v1::Report SampleSpeedtest(const crypto::PublicKey& device);
v1::Report SampleSensorBatch(const crypto::PublicKey& device);
v1::Report SampleStorageProof(const crypto::PublicKey& device);
v1::Report SampleComputeReceipt(const crypto::PublicKey& device);
// One report of every kind, for `device` (payer = PayerKey()).
std::vector<v1::Report> AllSampleReports(const crypto::PublicKey& device);

// A transaction envelope (version 1, kSampleNetwork, signer, nonce 7, fee 10) without a body.
v1::Transaction TxEnvelope(const crypto::PublicKey& signer);
v1::Transaction SampleTransfer(const crypto::PublicKey& signer);
// Signer = MakerKey(), device = DeviceKey(), owner = OwnerKey(), maker = MakerKey().
v1::Transaction SampleOnboard();
// One transaction of every kind with `signer`.
std::vector<v1::Transaction> AllSampleTransactions(const crypto::PublicKey& signer);

// A header at height 42 on kSampleNetwork produced by ProducerKey() (tx_root/tx_count unset).
v1::BlockHeader SampleHeader();

}  // namespace depin::wire::testing
