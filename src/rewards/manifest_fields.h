// Internal to depin_rewards: the manifest's JSON field lists, one Visit function per record,
// walked by the writer (manifest_json.cc) and the reader (manifest_json_read.cc) so the two
// directions cannot drift apart. A visitor provides U64, OptionalU64 (0 when absent), U128, U32,
// U8, Bool, Str and KeyField. Pure templates; thread-safe.
#pragma once

#include "rewards/manifest.h"

namespace depin::rewards::internal {

template <typename V, typename P>
void VisitPoolConfig(V& v, P& p) {
  v.Str("name", p.name);
  v.U32("share_ppm", p.share_ppm);
  v.KeyField("recipient", p.recipient);
}

template <typename V, typename P>
void VisitPool(V& v, P& p) {
  v.Str("name", p.name);
  v.U32("share_ppm", p.share_ppm);
  v.U64("budget", p.budget);
  v.U64("overflow_in", p.overflow_in);
  v.U64("overflow_out", p.overflow_out);
  v.U64("paid", p.paid);
  v.U64("unallocated", p.unallocated);
  v.U128("total_shares", p.total_shares);
  v.KeyField("recipient", p.recipient);
}

template <typename V, typename D>
void VisitDevice(V& v, D& d) {
  v.KeyField("device", d.device);
  v.U64("amount", d.amount);
  v.U64("availability_amount", d.availability_amount);
  v.U64("usage_amount", d.usage_amount);
  v.Bool("deactivated", d.deactivated);
  v.U32("heartbeats", d.heartbeats);
  v.U32("heartbeats_without_fix", d.heartbeats_without_fix);
  v.U32("heartbeat_hours", d.heartbeat_hours);
  v.Bool("uptime_ok", d.uptime_ok);
  v.U32("location_trust_ppm", d.location_trust_ppm);
  v.U32("speedtests", d.speedtests);
  v.U64("avg_download_bps", d.avg_download_bps);
  v.U64("avg_upload_bps", d.avg_upload_bps);
  v.U64("avg_latency_ms", d.avg_latency_ms);
  v.U8("speedtest_tier", d.speedtest_tier);
  v.U32("speedtest_ppm", d.speedtest_ppm);
  v.U64("availability_units", d.availability_units);
  v.Bool("units_from_proofs", d.units_from_proofs);
  v.U32("receipts", d.receipts);
  v.U64("dc_burned", d.dc_burned);
  v.OptionalU64("dc_basis", d.dc_basis);  // absent in manifests written before it existed
  v.U64("self_paid_dc", d.self_paid_dc);
  v.U64("usage_bytes", d.usage_bytes);
  v.U64("usage_share", d.usage_share);
  v.U64("usage_cap", d.usage_cap);
  v.U32("valid_reports", d.valid_reports);
  v.U64("prior_cumulative", d.prior_cumulative);
  v.U64("cumulative", d.cumulative);
}

template <typename V, typename T>
void VisitTier(V& v, T& t) {
  v.Str("name", t.name);
  v.U64("min_download_bps", t.min_download_bps);
  v.U64("min_upload_bps", t.min_upload_bps);
  v.U32("latency_below_ms", t.latency_below_ms);
  v.U32("multiplier_ppm", t.multiplier_ppm);
}

template <typename V, typename P>
void VisitVerifyParams(V& v, P& p) {
  v.U32("min_heartbeat_hours", p.min_heartbeat_hours);
  v.U64("max_clock_skew_ms", p.max_clock_skew_ms);
  v.U32("min_speedtests", p.min_speedtests);
  v.U64("speedtest_window_ms", p.speedtest_window_ms);
  v.U64("bytes_per_dc", p.bytes_per_dc);
}

template <typename V, typename M>
void VisitHeader(V& v, M& m) {
  v.U64("epoch", m.epoch);
  v.U64("start_ms", m.start_ms);
  v.U64("end_ms", m.end_ms);
  v.U64("emission", m.emission);
  v.U64("unallocated_total", m.unallocated_total);
  v.U64("reports_seen", m.reports_seen);
  v.U64("unknown_device_reports", m.unknown_device_reports);
  v.U64("corrupt_records", m.corrupt_records);
}

}  // namespace depin::rewards::internal
