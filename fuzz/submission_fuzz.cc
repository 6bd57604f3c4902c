// Fuzz target: the body of POST /v1/reports (the ReportSubmission envelope), through the
// envelope parser and the ingest pipeline's decoding step (every signed report, batch and proven
// batch member it holds) to the JSON results body. Invariants: one result per report entry
// (batches count each member), and the results body is valid JSON.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_util.h"
#include "ingest/pipeline_request.h"
#include "ingest/submission.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  auto view = ingest::ParseSubmission(fuzz::View(data, size));
  if (!view.ok()) return 0;
  fuzz::Check(view->signed_reports.size() + view->batches.size() + view->proven_reports.size() <=
                  ingest::kMaxSubmissionEntries,
              "submission: entry limit");
  ingest::IngestPipeline::Request request;
  ingest::detail::DecodeEntries(*view, &request);
  fuzz::Check(request.results.size() >= view->signed_reports.size() + view->proven_reports.size(),
              "submission: a result per entry");
  const std::string body = ingest::detail::ResultsBody(request.results);
  fuzz::Check(nlohmann::json::accept(body), "submission: results body is JSON");
  return 0;
}
