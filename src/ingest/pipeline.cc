// IngestPipeline (pipeline.h): admission, the cheap checks, signatures, the log and the answer.
// Decoding is in pipeline_decode.cc, the answers' JSON in pipeline_reply.cc.
#include "ingest/pipeline.h"

#include <algorithm>
#include <array>
#include <string>

#include "ingest/log_payload.h"
#include "ingest/pipeline_request.h"
#include "ingest/report_log_reader.h"
#include "ingest/submission.h"
#include "wire/domain.h"

namespace depin::ingest {

using detail::Entry;
using detail::ErrorBody;
using detail::ItemTarget;
using detail::Proven;
using detail::ResultsBody;
using detail::Source;
IngestPipeline::IngestPipeline(IngestOptions options, const DeviceRegistry* registry,
                               ReportLog* log, IngestObserver* observer)
    : options_(options),
      registry_(registry),
      log_(log),
      observer_(observer ? observer : &default_observer_),
      dedup_(options.max_age_ms, options.max_dedup_ids),
      receipts_(options.receipt_max_age_ms, options.max_dedup_ids),
      device_limiter_(options.device_rate_per_s, options.device_burst),
      client_limiter_(options.client_rate_per_s, options.client_burst),
      origin_limiter_(options.origin_rate_per_s, options.origin_burst),
      pool_(options.verify_threads, options.max_in_flight_reports) {}

IngestPipeline::~IngestPipeline() = default;

util::Result<std::unique_ptr<IngestPipeline>> IngestPipeline::Create(IngestOptions options,
                                                                     const DeviceRegistry* registry,
                                                                     ReportLog* log,
                                                                     const std::string& data_dir,
                                                                     IngestObserver* observer) {
  if (options.epoch_ms == 0) return util::Status::InvalidArgument("ingest: epoch_ms must be > 0");
  DEPIN_RETURN_IF_ERROR(wire::CheckNetworkId(options.network_id).WithContext("ingest"));
  if (options.receipt_max_age_ms == 0) {
    return util::Status::InvalidArgument("ingest: receipt_max_age_ms must be > 0");
  }
  std::unique_ptr<IngestPipeline> p(new IngestPipeline(options, registry, log, observer));
  DEPIN_RETURN_IF_ERROR(p->RebuildDedup(data_dir));
  return p;
}

void IngestPipeline::WaitIdle() {
  util::MutexLock lock(idle_mu_);
  idle_cv_.Wait(idle_mu_, [this] { return in_flight_.load() == 0; });
}

uint64_t IngestPipeline::EpochOf(uint64_t unix_ms) const {
  if (unix_ms < options_.genesis_unix_ms) return 0;
  return (unix_ms - options_.genesis_unix_ms) / options_.epoch_ms;
}

util::Status IngestPipeline::RebuildDedup(const std::string& data_dir) {
  uint64_t now = static_cast<uint64_t>(options_.env->NowUnixMillis());
  // Receipts stay refusable for receipt_max_age_ms after they were signed, reports for max_age_ms.
  const uint64_t max_age = std::max(options_.max_age_ms, options_.receipt_max_age_ms);
  uint64_t oldest = now > max_age ? now - max_age : 0;
  // A report is logged under its receive time's epoch, which is at or after its device time
  // minus the allowed skew; scan every epoch a live report may sit in, plus one for clock steps.
  // (A receipt is signed no later than its report's device time plus the skew.)
  uint64_t first = EpochOf(oldest > options_.max_skew_ms ? oldest - options_.max_skew_ms : 0);
  uint64_t last = EpochOf(now) + 1;
  if (last - first > 10'000) first = last - 10'000;
  for (uint64_t epoch = first; epoch <= last; ++epoch) {
    DEPIN_ASSIGN_OR_RETURN(auto reader, EpochReader::Open(options_.env, data_dir, epoch));
    LogRecord record;
    for (;;) {
      util::Result<bool> more = reader->Next(&record);
      if (!more.ok()) {
        if (more.status().code() == util::Code::kCorruption) continue;  // skips that segment
        return more.status().WithContext("ingest: rebuilding the dedup window");
      }
      if (!*more) break;
      util::Result<LoggedReport> logged = DecodeLoggedReport(record.payload, options_.network_id);
      if (!logged.ok()) continue;  // not ours to judge here; the verifiers count it
      if (logged->report.body_case() == wire::v1::Report::kDataTransfer) {
        const wire::v1::UsageReceipt& receipt = logged->report.data_transfer().receipt();
        if (receipt.timestamp_ms() >= now ||
            now - receipt.timestamp_ms() <= options_.receipt_max_age_ms) {
          receipts_.Insert(detail::ReceiptIdOf(receipt), receipt.timestamp_ms());
        }
      }
      const uint64_t ts = logged->report.timestamp_ms();
      if (ts < now && now - ts > options_.max_age_ms) continue;  // no sum: no wrap
      if (dedup_.Insert(logged->id, logged->report.timestamp_ms())) ++rebuilt_ids_;
    }
    last_epoch_.store(std::max(last_epoch_.load(), epoch));
  }
  last_epoch_.store(std::min(last_epoch_.load(), EpochOf(now)));
  return util::Status::Ok();
}

void IngestPipeline::Submit(util::ByteView body, std::string_view client, IngestDone done) {
  auto* req = new Request;
  req->pipeline = this;
  req->network_id = options_.network_id;
  req->done = std::move(done);
  req->start_micros = options_.env->NowMicros();
  req->receive_ms = static_cast<uint64_t>(options_.env->NowUnixMillis());
  req->origin = OriginOf(client, options_.origin_key);
  const uint64_t now = req->receive_ms;

  util::Result<SubmissionView> parsed = ParseSubmission(body);
  if (!parsed.ok()) {
    observer_->OnReports(ReportStatus::kRejected, RejectReason::kMalformed, 1);
    Finish(req, IngestReply{400, 0, ErrorBody("malformed", parsed.status().message()), {}});
    return;
  }
  dedup_.Expire(now);
  receipts_.Expire(now);

  detail::DecodeEntries(*parsed, req);

  // ---- Admission: bound the reports in flight before reserving anything. ----
  const size_t n = req->entries.size();
  if (in_flight_.fetch_add(n, std::memory_order_relaxed) + n > options_.max_in_flight_reports &&
      n > 0) {
    in_flight_.fetch_sub(n, std::memory_order_relaxed);
    Reject503(req, "too many reports in flight");
    return;
  }
  req->admitted = n;

  // ---- 2-5. Timestamp window, registry, dedup, per-device rate. ----
  bool dedup_full = false;
  const size_t reserved = Screen(req, client, now, &dedup_full);
  if (dedup_full) {
    Reject503(req, "the duplicate-check window is full");
    return;
  }
  if (reserved == 0 && req->origin_limited) {
    Finish(req, IngestReply{429,
                            options_.retry_after_s,
                            ErrorBody("rate_limited", "too many reports from this network origin"),
                            {}});
    return;
  }
  if (reserved == 0) {
    Finish(req, IngestReply{200, 0, {}, {}});
    return;
  }
  AddSignatureItems(req);
  util::Status st = pool_.Submit(req);
  if (!st.ok()) Reject503(req, st.message());
}

// ---- 2-3. Timestamp window, then the device: known, active, allowed this kind. ----
RejectReason IngestPipeline::CheckSender(const wire::v1::Report& report, uint64_t now,
                                         DeviceKey* key) const {
  // Differences, never sums: a device timestamp near 2^64 must not wrap into the window.
  const uint64_t ts = report.timestamp_ms();
  if (ts < now && now - ts > options_.max_age_ms) return RejectReason::kTooOld;
  if (ts > now && ts - now > options_.max_skew_ms) return RejectReason::kTooNew;
  std::copy(report.device_key().begin(), report.device_key().end(), key->begin());
  std::optional<DeviceInfo> info = registry_->Lookup(*key);
  if (!info) return RejectReason::kUnknownDevice;
  if (!info->active) return RejectReason::kDeactivated;
  if ((info->allowed_kinds & KindBit(static_cast<uint32_t>(wire::KindOf(report)))) == 0) {
    return RejectReason::kKindNotAllowed;
  }
  return RejectReason::kNone;
}

// ---- 2-5. The sender checks, then dedup, per-device and per-address rate. ----
size_t IngestPipeline::Screen(Request* req, std::string_view client, uint64_t now,
                              bool* dedup_full_out) {
  size_t reserved = 0;
  bool dedup_full = false;
  for (uint32_t i = 0; i < req->entries.size(); ++i) {
    Entry& e = req->entries[i];
    const wire::v1::Report& report = detail::ReportOf(*req, e);
    DeviceKey key;
    if (RejectReason why = CheckSender(report, now, &key); why != RejectReason::kNone) {
      req->Reject(e, why);
      continue;
    }
    ReportResult& r = req->results[e.result];
    DedupOutcome d = dedup_.Reserve(r.id, report.timestamp_ms());
    if (d == DedupOutcome::kDuplicate) {
      r.status = ReportStatus::kDuplicate;
      e.alive = false;
      continue;
    }
    if (d == DedupOutcome::kInFlight) {
      req->Reject(e, RejectReason::kInFlight);
      continue;
    }
    if (d == DedupOutcome::kFull) {
      req->Reject(e, RejectReason::kOverloaded);  // not reserved, so never released
      dedup_full = true;
      continue;
    }
    if (report.body_case() == wire::v1::Report::kDataTransfer) {
      bool receipts_full = false;
      RejectReason why = ScreenReceipt(req, i, report, now, &receipts_full);
      dedup_full |= receipts_full;
      if (why != RejectReason::kNone) {
        dedup_.Release(r.id);
        req->Reject(e, why);
        continue;
      }
    }
    if (!device_limiter_.TryAcquire(key, 1, now)) {
      ReleaseEntry(req, i);
      req->Reject(e, RejectReason::kRateLimited);
      continue;
    }
    ++reserved;
  }
  if (dedup_full) {
    *dedup_full_out = true;
    return 0;
  }
  auto refuse_all = [&] {
    for (uint32_t i = 0; i < req->entries.size(); ++i) {
      if (!req->entries[i].alive) continue;
      ReleaseEntry(req, i);
      req->Reject(req->entries[i], RejectReason::kRateLimited);
    }
    reserved = 0;
  };
  if (reserved > 0 && !client_limiter_.TryAcquire(LimiterKeyFromText(client), reserved, now)) {
    refuse_all();
  }
  if (reserved > 0 && req->origin != kUnknownOrigin) {
    LimiterKey origin_key{};
    for (int i = 0; i < 8; ++i) origin_key[i] = static_cast<uint8_t>(req->origin >> (8 * i));
    origin_key[31] = 0x0f;  // distinct from any text key (those are zero padded)
    if (!origin_limiter_.TryAcquire(origin_key, reserved, now)) {
      refuse_all();
      req->origin_limited = true;
    }
  }
  return reserved;
}

RejectReason IngestPipeline::ScreenReceipt(Request* req, uint32_t entry,
                                           const wire::v1::Report& report, uint64_t now,
                                           bool* full) {
  const wire::v1::UsageReceipt& receipt = report.data_transfer().receipt();
  const uint64_t signed_ms = receipt.timestamp_ms();
  if (now > signed_ms && now - signed_ms > options_.receipt_max_age_ms) {
    return RejectReason::kStaleReceipt;
  }
  if (signed_ms > report.timestamp_ms() + options_.max_skew_ms) return RejectReason::kReceiptTime;
  Entry& e = req->entries[entry];
  e.receipt_id = detail::ReceiptIdOf(receipt);
  switch (receipts_.Reserve(e.receipt_id, signed_ms)) {
    case DedupOutcome::kNew:
      e.has_receipt = true;
      return RejectReason::kNone;
    case DedupOutcome::kDuplicate:
      return RejectReason::kDuplicateReceipt;
    case DedupOutcome::kInFlight:
      // Held by an earlier report of this very request: that one is the receipt's only chance.
      for (uint32_t i = 0; i < entry; ++i) {
        const Entry& other = req->entries[i];
        if (other.alive && other.has_receipt && other.receipt_id == e.receipt_id) {
          return RejectReason::kDuplicateReceipt;
        }
      }
      return RejectReason::kInFlight;
    case DedupOutcome::kFull:
      *full = true;
      return RejectReason::kOverloaded;
  }
  return RejectReason::kOverloaded;
}

void IngestPipeline::ReleaseEntry(Request* req, uint32_t entry) {
  Entry& e = req->entries[entry];
  dedup_.Release(req->results[e.result].id);
  if (e.has_receipt) {
    receipts_.Release(e.receipt_id);
    e.has_receipt = false;
  }
}

void IngestPipeline::AddSignatureItems(Request* req) {
  // ---- 6. Signature items: one per single report, one per batch, one per proven report, plus
  // one per data-transfer receipt (the payer's signature). ----
  auto add_item = [req](const uint8_t* key, const uint8_t* sig, util::ByteView msg,
                        ItemTarget target) {
    req->items.push_back({key, sig, msg.data(), msg.size()});
    req->targets.push_back(target);
  };
  req->scratch.reserve(req->entries.size() + req->batches.size());
  auto add_payer = [&](const wire::v1::Report& report, uint32_t entry) {
    if (report.body_case() != wire::v1::Report::kDataTransfer) return;
    const wire::v1::SignedUsageReceipt& sr = report.data_transfer();
    util::Result<util::Bytes> bytes =
        wire::UsageReceiptSigningBytes(sr.receipt(), options_.network_id);
    if (!bytes.ok() || sr.receipt().payer_key().size() != 32 || sr.payer_signature().size() != 64) {
      // Unreachable after the decoders' checks; reject rather than trust it.
      ReleaseEntry(req, entry);
      req->Reject(req->entries[entry], RejectReason::kMalformed);
      return;
    }
    req->scratch.push_back(std::move(bytes).value());
    add_item(reinterpret_cast<const uint8_t*>(sr.receipt().payer_key().data()),
             reinterpret_cast<const uint8_t*>(sr.payer_signature().data()), req->scratch.back(),
             {entry, 1, RejectReason::kBadSignature});
  };
  for (uint32_t i = 0; i < req->entries.size(); ++i) {
    Entry& e = req->entries[i];
    if (e.kind == Source::kBatch && (i == 0 || req->entries[i - 1].kind != Source::kBatch ||
                                     req->entries[i - 1].source != e.source)) {
      // First entry of a batch: one item for the whole batch, if any member is still alive.
      uint32_t end = i;
      bool any_alive = false;
      while (end < req->entries.size() && req->entries[end].kind == Source::kBatch &&
             req->entries[end].source == e.source) {
        any_alive |= req->entries[end].alive;
        ++end;
      }
      if (any_alive) {
        wire::CheckedBatch& b = req->batches[e.source];
        req->scratch.push_back(
            wire::BatchSigningBytes(b.network_id, b.device_key, b.message.timestamp_ms(),
                                    static_cast<uint32_t>(b.ids.size()), b.root));
        add_item(b.device_key.bytes.data(), b.signature.data(), req->scratch.back(),
                 {i, end - i, RejectReason::kBadBatchSignature});
      }
    }
    if (!e.alive) continue;
    if (e.kind == Source::kSingle) {
      const wire::CheckedReport& c = req->singles[e.source];
      add_item(c.device_key.bytes.data(), c.signature.data(), c.signing_bytes,
               {i, 1, RejectReason::kBadSignature});
    } else if (e.kind == Source::kProven) {
      const Proven& p = req->proven[e.source];
      add_item(p.key.bytes.data(),
               reinterpret_cast<const uint8_t*>(p.proof.batch_signature().data()),
               p.batch_signing_bytes, {i, 1, RejectReason::kBadBatchSignature});
    }
    add_payer(detail::ReportOf(*req, e), i);
  }
}

void IngestPipeline::Verified(Request* req) {
  for (size_t i = 0; i < req->items.size(); ++i) {
    if (req->ok[i]) continue;
    const ItemTarget& t = req->targets[i];
    for (uint32_t e = t.first; e < t.first + t.count; ++e) {
      Entry& entry = req->entries[e];
      if (!entry.alive) continue;
      ReleaseEntry(req, e);
      req->Reject(entry, t.reason);
    }
  }
  // Payloads, then records pointing into them (the log copies them before Append returns).
  std::vector<util::Bytes> payloads;
  payloads.reserve(req->entries.size());
  // Inclusion proofs of the batch being walked, built once per batch (entries of one batch are
  // consecutive).
  std::vector<wire::v1::ReportInclusionProof> proofs;
  uint32_t proofs_of = UINT32_MAX;
  for (const Entry& e : req->entries) {
    if (!e.alive) continue;
    util::Bytes payload;
    if (e.kind == Source::kSingle) {
      payload.reserve(req->single_bytes[e.source].size() + 4);
      EncodeSignedReportPayload(req->single_bytes[e.source], &payload);
    } else if (e.kind == Source::kProven) {
      const Proven& p = req->proven[e.source];
      EncodeBatchedReportPayload(p.report_bytes, p.proof_bytes, &payload);
    } else {
      const wire::CheckedBatch& b = req->batches[e.source];
      if (proofs_of != e.source) {
        proofs = wire::MakeInclusionProofs(b);
        proofs_of = e.source;
      }
      util::Bytes report = wire::Serialize(b.message.reports(static_cast<int>(e.member)));
      EncodeBatchedReportPayload(report, wire::Serialize(proofs[e.member]), &payload);
    }
    AppendOriginToPayload(req->origin, &payload);
    payloads.push_back(std::move(payload));
  }
  if (payloads.empty()) {
    Finish(req, IngestReply{200, 0, {}, {}});
    return;
  }
  std::vector<AppendRecord> records;
  records.reserve(payloads.size());
  for (const util::Bytes& p : payloads) records.push_back({req->receive_ms, p});

  uint64_t epoch = EpochOf(req->receive_ms);
  util::Status st;
  for (int attempt = 0; attempt < 3; ++attempt) {
    uint64_t last = last_epoch_.load(std::memory_order_relaxed);
    while (epoch > last && !last_epoch_.compare_exchange_weak(last, epoch)) {
    }
    epoch = std::max(epoch, last);
    st = log_->Append(epoch, records, [this, req](const util::Status& durable) {
      if (!durable.ok()) {
        Reject503(req, durable.message());
        return;
      }
      for (Entry& e : req->entries) {
        if (!e.alive) continue;
        dedup_.Commit(req->results[e.result].id);
        if (e.has_receipt) receipts_.Commit(e.receipt_id);
      }
      Finish(req, IngestReply{200, 0, {}, {}});
    });
    if (st.code() != util::Code::kOutOfRange) break;
    epoch = last_epoch_.load();  // another request moved the log to a later epoch; follow it
  }
  if (!st.ok()) Reject503(req, st.message());
}

void IngestPipeline::Reject503(Request* req, std::string_view why) {
  for (uint32_t i = 0; i < req->entries.size(); ++i) {
    if (!req->entries[i].alive) continue;
    ReleaseEntry(req, i);
    req->Reject(req->entries[i], RejectReason::kOverloaded);
  }
  Finish(req, IngestReply{503,
                          options_.retry_after_s,
                          ErrorBody("unavailable", std::string("ingest busy: ") + std::string(why)),
                          {}});
}

void IngestPipeline::Finish(Request* req, IngestReply reply) {
  std::unique_ptr<Request> owned(req);
  std::array<uint64_t, static_cast<size_t>(RejectReason::kCount)> rejected{};
  uint64_t accepted = 0, duplicate = 0;
  for (const ReportResult& r : req->results) {
    if (r.status == ReportStatus::kAccepted) ++accepted;
    if (r.status == ReportStatus::kDuplicate) ++duplicate;
    if (r.status == ReportStatus::kRejected) ++rejected[static_cast<size_t>(r.reason)];
  }
  if (accepted) observer_->OnReports(ReportStatus::kAccepted, RejectReason::kNone, accepted);
  if (duplicate) observer_->OnReports(ReportStatus::kDuplicate, RejectReason::kNone, duplicate);
  for (size_t i = 0; i < rejected.size(); ++i) {
    if (rejected[i]) {
      observer_->OnReports(ReportStatus::kRejected, static_cast<RejectReason>(i), rejected[i]);
    }
  }
  if (reply.http_status == 200) reply.body = ResultsBody(req->results);
  reply.results = std::move(req->results);
  if (req->admitted > 0 && in_flight_.fetch_sub(req->admitted) == req->admitted) {
    util::MutexLock lock(idle_mu_);
    idle_cv_.NotifyAll();
  }
  observer_->OnRequest(reply.http_status, options_.env->NowMicros() - req->start_micros);
  IngestDone done = std::move(req->done);
  owned.reset();
  done(std::move(reply));
}

}  // namespace depin::ingest
