#include "epoch/receipts.h"

#include <algorithm>

#include "ingest/log_payload.h"
#include "ingest/report_log_reader.h"

namespace depin::epoch {

namespace {

// Receive times before this cannot carry a receipt that is still valid in `window`.
uint64_t LookbackFromMs(const verify::EpochWindow& window, const verify::VerifyParams& params) {
  const uint64_t lookback = params.receipt_max_age_ms + 2 * params.max_clock_skew_ms;
  return window.start_ms > lookback ? window.start_ms - lookback : 0;
}

}  // namespace

uint64_t FirstLookbackEpoch(const verify::EpochWindow& window, const verify::VerifyParams& params) {
  const uint64_t length = window.end_ms - window.start_ms;
  if (length == 0) return window.epoch;
  const uint64_t back = window.start_ms - LookbackFromMs(window, params);
  const uint64_t epochs = (back + length - 1) / length;
  return window.epoch - std::min(window.epoch, epochs);
}

util::Result<std::vector<verify::ReceiptKey>> PriorReceipts(util::Env* env,
                                                            const std::string& data_dir,
                                                            const verify::EpochWindow& window,
                                                            const verify::VerifyParams& params,
                                                            std::string_view network_id) {
  std::vector<verify::ReceiptKey> keys;
  const uint64_t from_ms = LookbackFromMs(window, params);
  const uint64_t signed_from_ms =
      window.start_ms > params.receipt_max_age_ms ? window.start_ms - params.receipt_max_age_ms : 0;
  for (uint64_t epoch = FirstLookbackEpoch(window, params); epoch < window.epoch; ++epoch) {
    DEPIN_ASSIGN_OR_RETURN(auto reader, ingest::EpochReader::Open(env, data_dir, epoch));
    ingest::LogRecord record;
    for (;;) {
      util::Result<bool> next = reader->Next(&record);
      if (!next.ok()) {
        if (next.status().code() == util::Code::kCorruption) continue;  // skips that segment
        return next.status().WithContext("epoch close: reading earlier receipts");
      }
      if (!*next) break;
      if (record.receive_ms < from_ms) continue;  // header only: no decoding for old records
      util::Result<ingest::LoggedReport> logged =
          ingest::DecodeLoggedReport(record.payload, network_id);
      if (!logged.ok() || logged->report.body_case() != wire::v1::Report::kDataTransfer) continue;
      const wire::v1::UsageReceipt& r = logged->report.data_transfer().receipt();
      if (r.timestamp_ms() < signed_from_ms) continue;  // stale in this epoch whatever happens
      util::Result<crypto::PublicKey> payer =
          crypto::PublicKey::FromBytes(util::AsBytes(r.payer_key()));
      if (!payer.ok()) continue;
      keys.push_back({*payer, r.session_id(), r.sequence()});
    }
  }
  return keys;
}

}  // namespace depin::epoch
