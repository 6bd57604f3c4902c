// The usage receipts an epoch close must treat as already spent: every (payer, session,
// sequence) that appeared in an earlier epoch's report log while a receipt with that key could
// still be valid in this epoch (docs/rewards.md section 1.4). A receipt is valid for
// receipt_max_age_ms after its payer signed it, and a report's receive time is inside its epoch,
// so only receipts signed at or after start - receipt_max_age_ms matter, and they can only have
// been received at or after that minus twice the clock skew; the scan reads the epochs that
// overlap that lookback and nothing older.
//
// Deterministic: a pure function of the log's files (records in log order), so a recompute gives
// the same keys as the live close. Epochs below the retention marker are gone; LookbackEpochs
// lets RecomputeEpoch refuse an epoch whose lookback reaches them.
//
// Thread-safety: pure functions over files that are only read; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/env.h"
#include "util/result.h"
#include "verify/params.h"
#include "verify/report_view.h"

namespace depin::epoch {

// The first epoch the lookback of `window` reaches (window.epoch when it reaches none).
uint64_t FirstLookbackEpoch(const verify::EpochWindow& window, const verify::VerifyParams& params);

// Receipt keys from the data-transfer records of epochs [FirstLookbackEpoch, window.epoch), in
// log order (duplicates kept; the verifier only tests membership). Records that do not decode
// are skipped here: the close of their own epoch counts them. `network_id` is the network the
// records were signed for. Errors are I/O failures.
util::Result<std::vector<verify::ReceiptKey>> PriorReceipts(util::Env* env,
                                                            const std::string& data_dir,
                                                            const verify::EpochWindow& window,
                                                            const verify::VerifyParams& params,
                                                            std::string_view network_id);

}  // namespace depin::epoch
