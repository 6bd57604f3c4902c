#include "ingest/pipeline.h"

#include <algorithm>
#include <array>
#include <string>

#include "crypto/merkle.h"
#include "ingest/log_payload.h"
#include "ingest/report_log_reader.h"
#include "ingest/submission.h"
#include "util/encoding.h"
#include "wire/batch.h"
#include "wire/codec.h"
#include "wire/limits.h"

namespace depin::ingest {
namespace {

enum class Source : uint8_t { kSingle, kBatch, kProven };

// A report that passed the cheap checks and holds a dedup reservation.
struct Entry {
  uint32_t result;  // index into Request::results
  uint32_t source;  // index into singles / batches / proven
  uint32_t member;  // report index inside its batch
  Source kind;
  bool alive = true;
};

// What a failed signature item rejects: entries [first, first + count).
struct ItemTarget {
  uint32_t first;
  uint32_t count;
  RejectReason reason;
};

struct Proven {
  wire::v1::Report report;
  util::ByteView report_bytes;
  util::ByteView proof_bytes;
  wire::v1::ReportInclusionProof proof;
  util::Bytes batch_signing_bytes;
  crypto::PublicKey key;
};

RejectReason ReasonForDecodeError(const util::Status& st) {
  return st.code() == util::Code::kUnsupported ? RejectReason::kUnsupportedVersion
                                               : RejectReason::kMalformed;
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out->append("\\u00");
      const char* hex = "0123456789abcdef";
      out->push_back(hex[(c >> 4) & 0xf]);
      out->push_back(hex[c & 0xf]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  std::string out = "{\"error\":{\"code\":";
  AppendJsonString(&out, code);
  out += ",\"message\":";
  AppendJsonString(&out, message);
  out += "}}";
  return out;
}

std::string ResultsBody(const std::vector<ReportResult>& results) {
  std::string out;
  out.reserve(24 + results.size() * 110);
  out += "{\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const ReportResult& r = results[i];
    if (i) out.push_back(',');
    out.push_back('{');
    if (r.has_id) {
      out += "\"id\":\"";
      out += util::HexEncode(r.id);
      out += "\",";
    }
    out += "\"status\":\"";
    out += StatusName(r.status);
    out.push_back('"');
    if (r.status == ReportStatus::kRejected) {
      out += ",\"reason\":\"";
      out += ReasonName(r.reason);
      out.push_back('"');
    }
    out.push_back('}');
  }
  out += "]}";
  return out;
}

}  // namespace

std::string_view ReasonName(RejectReason reason) {
  static constexpr std::array<std::string_view, static_cast<size_t>(RejectReason::kCount)> kNames =
      {"none",
       "malformed",
       "too_large",
       "unsupported_version",
       "too_old",
       "too_new",
       "unknown_device",
       "deactivated",
       "kind_not_allowed",
       "in_flight",
       "rate_limited",
       "bad_signature",
       "bad_batch_signature",
       "bad_merkle_proof",
       "overloaded"};
  size_t i = static_cast<size_t>(reason);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::string_view StatusName(ReportStatus status) {
  switch (status) {
    case ReportStatus::kAccepted:
      return "accepted";
    case ReportStatus::kDuplicate:
      return "duplicate";
    case ReportStatus::kRejected:
      return "rejected";
  }
  return "rejected";
}

struct IngestPipeline::Request final : VerifyJob {
  IngestPipeline* pipeline = nullptr;
  IngestDone done;
  uint64_t start_micros = 0;
  uint64_t receive_ms = 0;
  size_t admitted = 0;  // counted in in_flight_
  std::vector<ReportResult> results;
  std::vector<util::ByteView> single_bytes;
  std::vector<wire::CheckedReport> singles;
  std::vector<wire::CheckedBatch> batches;
  std::vector<Proven> proven;
  std::vector<Entry> entries;
  std::vector<ItemTarget> targets;   // parallel to items
  std::vector<util::Bytes> scratch;  // signing bytes the items point into (payer receipts)

  void OnVerified() override { pipeline->Verified(this); }

  void Reject(Entry& e, RejectReason reason) {
    ReportResult& r = results[e.result];
    r.status = ReportStatus::kRejected;
    r.reason = reason;
    e.alive = false;
  }
};

IngestPipeline::IngestPipeline(IngestOptions options, const DeviceRegistry* registry,
                               ReportLog* log, IngestObserver* observer)
    : options_(options),
      registry_(registry),
      log_(log),
      observer_(observer ? observer : &default_observer_),
      dedup_(options.max_age_ms, options.max_dedup_ids),
      device_limiter_(options.device_rate_per_s, options.device_burst),
      client_limiter_(options.client_rate_per_s, options.client_burst),
      pool_(options.verify_threads, options.max_in_flight_reports) {}

IngestPipeline::~IngestPipeline() = default;

util::Result<std::unique_ptr<IngestPipeline>> IngestPipeline::Create(IngestOptions options,
                                                                     const DeviceRegistry* registry,
                                                                     ReportLog* log,
                                                                     const std::string& data_dir,
                                                                     IngestObserver* observer) {
  if (options.epoch_ms == 0) return util::Status::InvalidArgument("ingest: epoch_ms must be > 0");
  std::unique_ptr<IngestPipeline> p(new IngestPipeline(options, registry, log, observer));
  DEPIN_RETURN_IF_ERROR(p->RebuildDedup(data_dir));
  return p;
}

void IngestPipeline::WaitIdle() {
  std::unique_lock lock(idle_mu_);
  idle_cv_.wait(lock, [this] { return in_flight_.load() == 0; });
}

uint64_t IngestPipeline::EpochOf(uint64_t unix_ms) const {
  if (unix_ms < options_.genesis_unix_ms) return 0;
  return (unix_ms - options_.genesis_unix_ms) / options_.epoch_ms;
}

util::Status IngestPipeline::RebuildDedup(const std::string& data_dir) {
  uint64_t now = static_cast<uint64_t>(options_.env->NowUnixMillis());
  uint64_t oldest = now > options_.max_age_ms ? now - options_.max_age_ms : 0;
  // A report is logged under its receive time's epoch, which is at or after its device time
  // minus the allowed skew; scan every epoch a live report may sit in, plus one for clock steps.
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
      util::Result<LoggedReport> logged = DecodeLoggedReport(record.payload);
      if (!logged.ok()) continue;  // not ours to judge here; the verifiers count it
      if (logged->report.timestamp_ms() + options_.max_age_ms < now) continue;
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
  req->done = std::move(done);
  req->start_micros = options_.env->NowMicros();
  req->receive_ms = static_cast<uint64_t>(options_.env->NowUnixMillis());
  const uint64_t now = req->receive_ms;

  util::Result<SubmissionView> parsed = ParseSubmission(body);
  if (!parsed.ok()) {
    observer_->OnReports(ReportStatus::kRejected, RejectReason::kMalformed, 1);
    Finish(req, IngestReply{400, 0, ErrorBody("malformed", parsed.status().message()), {}});
    return;
  }
  const SubmissionView& view = *parsed;
  dedup_.Expire(now);

  // ---- 1. Decode every entry (size limit, structure, version). ----
  auto add_result = [req](const wire::ReportId* id, RejectReason reason) {
    ReportResult r;
    if (id) {
      r.id = *id;
      r.has_id = true;
    }
    r.status = reason == RejectReason::kNone ? ReportStatus::kAccepted : ReportStatus::kRejected;
    r.reason = reason;
    req->results.push_back(r);
    return static_cast<uint32_t>(req->results.size() - 1);
  };
  req->singles.reserve(view.signed_reports.size());
  req->single_bytes.reserve(view.signed_reports.size());
  req->batches.reserve(view.batches.size());
  req->proven.reserve(view.proven_reports.size());
  for (util::ByteView bytes : view.signed_reports) {
    if (bytes.size() > wire::kMaxReportBytes) {
      add_result(nullptr, RejectReason::kTooLarge);
      continue;
    }
    util::Result<wire::CheckedReport> checked = wire::DecodeSignedReport(bytes);
    if (!checked.ok()) {
      add_result(nullptr, ReasonForDecodeError(checked.status()));
      continue;
    }
    uint32_t result = add_result(&checked->id, RejectReason::kNone);
    req->entries.push_back(
        {result, static_cast<uint32_t>(req->singles.size()), 0, Source::kSingle});
    req->singles.push_back(std::move(checked).value());
    req->single_bytes.push_back(bytes);
  }
  for (util::ByteView bytes : view.batches) {
    if (bytes.size() > wire::kMaxBatchBytes) {
      add_result(nullptr, RejectReason::kTooLarge);
      continue;
    }
    util::Result<wire::CheckedBatch> checked = wire::DecodeReportBatch(bytes);
    if (!checked.ok()) {
      add_result(nullptr, ReasonForDecodeError(checked.status()));
      continue;
    }
    uint32_t b = static_cast<uint32_t>(req->batches.size());
    for (size_t i = 0; i < checked->ids.size(); ++i) {
      uint32_t result = add_result(&checked->ids[i], RejectReason::kNone);
      req->entries.push_back({result, b, static_cast<uint32_t>(i), Source::kBatch});
    }
    req->batches.push_back(std::move(checked).value());
  }
  for (util::ByteView bytes : view.proven_reports) {
    Proven p;
    util::Result<BatchedReportView> parts = ParseBatchedReport(bytes);
    util::Status st =
        parts.ok() ? wire::ParseLimited(parts->report, wire::kMaxReportBytes, "Report", &p.report)
                   : parts.status();
    util::Result<util::Bytes> signing =
        st.ok() ? wire::ReportSigningBytes(p.report) : util::Result<util::Bytes>(st);
    if (!signing.ok()) {
      add_result(nullptr, ReasonForDecodeError(signing.status()));
      continue;
    }
    wire::ReportId id = crypto::Sha256(*signing);
    util::Result<wire::v1::ReportInclusionProof> proof = wire::DecodeInclusionProof(parts->proof);
    if (!proof.ok() || proof->device_key() != p.report.device_key()) {
      add_result(&id, RejectReason::kMalformed);
      continue;
    }
    crypto::MerkleProof merkle;
    merkle.leaf_index = proof->leaf_index();
    merkle.leaf_count = proof->leaf_count();
    for (const std::string& s : proof->siblings()) {
      crypto::Hash256 h;
      std::copy(s.begin(), s.end(), h.begin());
      merkle.siblings.push_back(h);
    }
    crypto::Hash256 root;
    std::copy(proof->root().begin(), proof->root().end(), root.begin());
    if (!crypto::VerifyMerkleProof(root, crypto::MerkleLeafHash(*signing), merkle)) {
      add_result(&id, RejectReason::kBadMerkleProof);
      continue;
    }
    p.key = *crypto::PublicKey::FromBytes(util::AsBytes(proof->device_key()));
    p.batch_signing_bytes = wire::BatchSigningBytes(p.key, proof->batch_timestamp_ms(),
                                                    static_cast<uint32_t>(merkle.leaf_count), root);
    p.report_bytes = parts->report;
    p.proof_bytes = parts->proof;
    p.proof = std::move(proof).value();
    uint32_t result = add_result(&id, RejectReason::kNone);
    req->entries.push_back({result, static_cast<uint32_t>(req->proven.size()), 0, Source::kProven});
    req->proven.push_back(std::move(p));
  }

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
  auto report_of = [req](const Entry& e) -> const wire::v1::Report& {
    switch (e.kind) {
      case Source::kSingle:
        return req->singles[e.source].message.report();
      case Source::kBatch:
        return req->batches[e.source].message.reports(static_cast<int>(e.member));
      case Source::kProven:
        break;
    }
    return req->proven[e.source].report;
  };
  size_t reserved = 0;
  bool dedup_full = false;
  for (Entry& e : req->entries) {
    const wire::v1::Report& report = report_of(e);
    const uint64_t ts = report.timestamp_ms();
    if (ts + options_.max_age_ms < now) {
      req->Reject(e, RejectReason::kTooOld);
      continue;
    }
    if (ts > now + options_.max_skew_ms) {
      req->Reject(e, RejectReason::kTooNew);
      continue;
    }
    DeviceKey key;
    std::copy(report.device_key().begin(), report.device_key().end(), key.begin());
    std::optional<DeviceInfo> info = registry_->Lookup(key);
    if (!info) {
      req->Reject(e, RejectReason::kUnknownDevice);
      continue;
    }
    if (!info->active) {
      req->Reject(e, RejectReason::kDeactivated);
      continue;
    }
    if ((info->allowed_kinds & KindBit(static_cast<uint32_t>(wire::KindOf(report)))) == 0) {
      req->Reject(e, RejectReason::kKindNotAllowed);
      continue;
    }
    ReportResult& r = req->results[e.result];
    DedupOutcome d = dedup_.Reserve(r.id, ts);
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
    if (!device_limiter_.TryAcquire(key, 1, now)) {
      dedup_.Release(r.id);
      req->Reject(e, RejectReason::kRateLimited);
      continue;
    }
    ++reserved;
  }
  if (dedup_full) {
    Reject503(req, "the duplicate-check window is full");
    return;
  }
  if (reserved > 0 && !client_limiter_.TryAcquire(LimiterKeyFromText(client), reserved, now)) {
    for (Entry& e : req->entries) {
      if (!e.alive) continue;
      dedup_.Release(req->results[e.result].id);
      req->Reject(e, RejectReason::kRateLimited);
    }
    reserved = 0;
  }
  if (reserved == 0) {
    Finish(req, IngestReply{200, 0, {}, {}});
    return;
  }

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
    util::Result<util::Bytes> bytes = wire::UsageReceiptSigningBytes(sr.receipt());
    if (!bytes.ok() || sr.receipt().payer_key().size() != 32 || sr.payer_signature().size() != 64) {
      // Unreachable after the decoders' checks; reject rather than trust it.
      req->Reject(req->entries[entry], RejectReason::kMalformed);
      dedup_.Release(req->results[req->entries[entry].result].id);
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
        req->scratch.push_back(wire::BatchSigningBytes(
            b.device_key, b.message.timestamp_ms(), static_cast<uint32_t>(b.ids.size()), b.root));
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
    add_payer(report_of(e), i);
  }

  util::Status st = pool_.Submit(req);
  if (!st.ok()) Reject503(req, st.message());
}

void IngestPipeline::Verified(Request* req) {
  for (size_t i = 0; i < req->items.size(); ++i) {
    if (req->ok[i]) continue;
    const ItemTarget& t = req->targets[i];
    for (uint32_t e = t.first; e < t.first + t.count; ++e) {
      Entry& entry = req->entries[e];
      if (!entry.alive) continue;
      dedup_.Release(req->results[entry.result].id);
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
        if (e.alive) dedup_.Commit(req->results[e.result].id);
      }
      Finish(req, IngestReply{200, 0, {}, {}});
    });
    if (st.code() != util::Code::kOutOfRange) break;
    epoch = last_epoch_.load();  // another request moved the log to a later epoch; follow it
  }
  if (!st.ok()) Reject503(req, st.message());
}

void IngestPipeline::Reject503(Request* req, std::string_view why) {
  for (Entry& e : req->entries) {
    if (!e.alive) continue;
    dedup_.Release(req->results[e.result].id);
    req->Reject(e, RejectReason::kOverloaded);
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
    std::lock_guard lock(idle_mu_);
    idle_cv_.notify_all();
  }
  observer_->OnRequest(reply.http_status, options_.env->NowMicros() - req->start_micros);
  IngestDone done = std::move(req->done);
  owned.reset();
  done(std::move(reply));
}

}  // namespace depin::ingest
