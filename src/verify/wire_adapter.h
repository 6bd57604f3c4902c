// Adapter from the wire format's decoded, signature-verified report (depin::wire::v1::Report) to
// the verifiers' ReportView. Kinds without a built-in verifier keep their wire number, so
// EpochVerifier counts them as no_verifier rather than dropping them silently.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "verify/report_view.h"
#include "wire/proto/report.pb.h"

namespace depin::verify {

// `received_ms` is the ingest server's receive time from the report log. InvalidArgument (naming
// the field) when a key or hash is not 32 bytes, no body is set, or a data-transfer receipt names
// a different device than the report; the caller counts such records as corrupt. Coverage
// beacon and witness payload views point into `report`, which must outlive the view.
// `network_id` is the network the report was signed for: a beacon's report id (which witnesses
// name) is bound to it. A sensor batch's samples are copied into `sensor_samples` (reused across
// calls; the view points into it); without a buffer the batch is passed on with no samples.
util::Result<ReportView> ReportViewFromWire(const wire::v1::Report& report, uint64_t received_ms,
                                            std::string_view network_id,
                                            std::vector<SensorSample>* sensor_samples = nullptr);

}  // namespace depin::verify
