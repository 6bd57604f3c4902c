// The verifier interface and the epoch pass that drives it.
//
// A Verifier checks one kind (or several kinds) of proof and accumulates what it finds into the
// reporting device's DeviceWork. EpochVerifier owns the epoch's device registry snapshot and one
// verifier per report kind; it applies the checks every report shares (known device, device not
// deactivated, timestamps inside the epoch, bounded clock skew) before handing the report to the
// verifier registered for its kind, and counts every report as valid or invalid-with-reason.
// Reports are streamed once (Observe) and never stored, so memory is O(devices), not O(reports).
//
// Thread-safety: none. One EpochVerifier per epoch, driven from one thread.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "verify/origin_density.h"
#include "verify/params.h"
#include "verify/report_view.h"
#include "verify/speedtest_history.h"
#include "verify/work.h"

namespace depin::verify {

class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual std::string_view name() const = 0;
  // The report kinds this verifier consumes.
  virtual std::vector<ReportKind> kinds() const = 0;
  // Checks one report that passed the shared checks and accumulates it into `work` (the
  // reporting device's). Returns nullopt when the report is valid, else why it earns nothing.
  virtual std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                               DeviceWork& work) = 0;
  // Derives per-device values (and any epoch-wide results) after the last report. Called once.
  virtual void Finish(EpochWork& epoch) = 0;
};

class EpochVerifier {
 public:
  // `devices` must be sorted by key without duplicates, and `params` must be valid for `window`;
  // otherwise InvalidArgument says which.
  static util::Result<std::unique_ptr<EpochVerifier>> Create(const EpochWindow& window,
                                                             const VerifyParams& params,
                                                             std::vector<DeviceInfo> devices);

  // Registers `verifier` for each of its kinds; AlreadyExists if a kind already has one.
  util::Status Register(std::unique_ptr<Verifier> verifier);

  // Offers one decoded, signature-verified report. Never fails: an unacceptable report is
  // counted with its reason.
  void Observe(const ReportView& report);
  // Counts `report` as invalid for `reason` without offering it to a verifier (a check made
  // before dispatch, e.g. the device's class does not accept its kind).
  void Reject(const ReportView& report, InvalidReason reason);
  // Counts log records that could not be decoded or verified (reported in the manifest).
  void NoteCorruptRecords(uint64_t count) { work_.corrupt_records += count; }

  const EpochWindow& window() const { return work_.window; }
  // The registry snapshot, sorted by key. Stable until Finish: a verifier may index its own
  // per-device arrays by `&device - devices().data()`.
  std::span<const DeviceInfo> devices() const { return work_.devices; }
  // Index of `key` in the registry snapshot, or nullopt.
  std::optional<size_t> FindDevice(const Key& key) const;

  // Runs every verifier's Finish and returns the epoch's work. Call once; the object is spent.
  EpochWork Finish();

 private:
  EpochVerifier(const EpochWindow& window, const VerifyParams& params,
                std::vector<DeviceInfo> devices);
  std::optional<InvalidReason> CommonChecks(const ReportView& report, const DeviceWork& w) const;
  void BuildIndex();
  size_t Slot(const Key& key) const;

  VerifyParams params_;
  EpochWork work_;
  std::vector<std::unique_ptr<Verifier>> verifiers_;
  std::array<Verifier*, kMaxReportKind> by_kind_{};
  // Open-addressing hash index over work_.devices (linear probing, load <= 1/2): device lookup
  // per report is one or two cache misses instead of a 20-step binary search. The hash seed is
  // random per process so registered keys cannot be ground into long probe chains; it affects
  // speed only, never results.
  std::vector<uint32_t> slots_;
  uint64_t seed_ = 0;
  int shift_ = 64;
  OriginTally origins_;
};

// Registers the built-in verifiers (uptime and location, speedtest, paid usage). `payers` is the
// ledger's list of keys holding delegated DC at epoch start, in any order; `prior_speedtests` is
// the previous epoch's EpochWork::speedtest_history (empty for the first epoch);
// `prior_receipts` the usage receipts that appeared in earlier epochs' logs inside the receipt
// validity window (UsageVerifier refuses them as duplicate_receipt).
util::Status RegisterDefaultVerifiers(EpochVerifier& epoch, const VerifyParams& params,
                                      std::vector<PayerInfo> payers,
                                      SpeedtestHistory prior_speedtests = {},
                                      const std::vector<ReceiptKey>& prior_receipts = {});

}  // namespace depin::verify
