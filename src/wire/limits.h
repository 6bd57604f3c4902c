// Decode limits of wire format v1. Every decoder of untrusted bytes checks the outer size limit
// BEFORE parsing and the inner limits right after, so a hostile peer cannot make the process
// allocate or hash more than these bounds. docs/wire-format.md lists them. Compile-time constants
// only; thread-safe.
#pragma once

#include <cstddef>

namespace depin::wire {

// Whole serialized messages.
inline constexpr size_t kMaxReportBytes = 16 * 1024;         // SignedReport
inline constexpr size_t kMaxBatchBytes = 2 * 1024 * 1024;    // ReportBatch
inline constexpr size_t kMaxInclusionProofBytes = 4 * 1024;  // ReportInclusionProof
inline constexpr size_t kMaxTxBytes = 8 * 1024;              // SignedTransaction
inline constexpr size_t kMaxBlockBytes = 8 * 1024 * 1024;    // Block

// Counts.
inline constexpr size_t kMaxBatchReports = 1024;   // reports in a ReportBatch
inline constexpr size_t kMaxSensorReadings = 256;  // readings in a SensorBatch
inline constexpr size_t kMaxMerkleSiblings = 64;   // audit path length (trees up to 2^64 leaves)
inline constexpr size_t kMaxCosignatures = 4;      // co-signatures on a SignedTransaction
inline constexpr size_t kMaxUsageDebits = 64;      // debits in a SettleUsage
inline constexpr size_t kMaxBlockTransactions = 4096;

// Variable-length fields.
inline constexpr size_t kMaxBeaconPayloadBytes = 256;  // beacon / witness payload
inline constexpr size_t kMaxStorageLeafBytes = 4096;   // StorageProof.leaf_data
inline constexpr size_t kMaxNetworkIdBytes = 32;       // Transaction / BlockHeader network_id
inline constexpr size_t kMaxNameBytes = 64;            // RegisterMaker.name

}  // namespace depin::wire
