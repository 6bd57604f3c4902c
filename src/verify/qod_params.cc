#include "verify/qod_params.h"

#include <set>

#include "wire/sensor.h"

namespace depin::verify {

namespace {
QodRule FromWire(wire::SensorParameter id) {
  const wire::SensorParameterInfo* info = wire::FindSensorParameter(static_cast<uint32_t>(id));
  QodRule r;
  r.parameter = static_cast<uint32_t>(id);
  r.name = std::string(info->name);
  r.min_milli = info->min_milli;
  r.max_milli = info->max_milli;
  return r;
}
}  // namespace

QodParams DefaultQodParams() {
  using P = wire::SensorParameter;
  QodParams p;
  QodRule t = FromWire(P::kTemperature);
  t.max_jump_milli = 5'000;
  t.constancy_samples = 60;
  t.spatial_tolerance_milli = 4'000;
  t.series_checks = true;
  QodRule h = FromWire(P::kHumidity);
  h.max_jump_milli = 20'000;
  h.constancy_samples = 120;
  h.freeze_exempt = true;  // iced-up sensors read a constant 100 %
  h.spatial_tolerance_milli = 25'000;
  h.series_checks = true;
  QodRule pr = FromWire(P::kPressure);
  pr.max_jump_milli = 5'000;
  pr.constancy_samples = 240;
  QodRule w = FromWire(P::kWindSpeed);
  w.max_jump_milli = 20'000;
  QodRule rain = FromWire(P::kRainRate);
  QodRule lux = FromWire(P::kIlluminance);
  p.rules = {t, h, pr, w, rain, lux};
  return p;
}

util::Status ValidateQodParams(const QodParams& p, const EpochWindow& w) {
  auto bad = [](const std::string& m) { return util::Status::InvalidArgument("qod params: " + m); };
  if (p.rules.empty() || p.rules.size() > 32) return bad("rules: need 1..32 parameters");
  std::set<uint32_t> seen;
  for (size_t i = 0; i < p.rules.size(); ++i) {
    const QodRule& r = p.rules[i];
    std::string at = "rules[" + std::to_string(i) + "] (" + r.name + "): ";
    if (r.parameter == 0 || !seen.insert(r.parameter).second) {
      return bad(at + "parameter id must be non-zero and unique");
    }
    if (r.min_milli >= r.max_milli) return bad(at + "min_milli must be below max_milli");
    if (r.max_jump_milli < 0 || r.spatial_tolerance_milli < 0) return bad(at + "negative limit");
  }
  if (p.median_window < 3 || p.median_window > 7 || p.median_window % 2 == 0) {
    return bad("median_window must be 3, 5 or 7");
  }
  if (p.expected_per_hour == 0 || p.expected_per_hour > 255) {
    return bad("expected_per_hour must be 1..255");
  }
  if (p.default_location_trust_ppm > 1'000'000) return bad("default_location_trust_ppm > 1e6");
  if (p.capacity_level < 0 || p.capacity_level > 30 || p.neighbour_level < 0 ||
      p.neighbour_level > 30) {
    return bad("S2 levels must be 0..30");
  }
  if (p.cell_capacity == 0) return bad("cell_capacity must be positive");
  if (p.field_neighbours == 0 || p.field_neighbours > 64) return bad("field_neighbours: 1..64");
  if (p.field_radius_m == 0 || p.field_radius_m > 200'000) return bad("field_radius_m: 1..200000");
  if (p.copy_sample_mod == 0) return bad("copy_sample_mod must be positive");
  if (p.max_autocorrelation_ppm > 1'000'000) return bad("max_autocorrelation_ppm > 1e6");
  if (w.end_ms <= w.start_ms || (w.end_ms - w.start_ms) > 64 * 3'600'000ull) {
    return bad("epoch must be 1 ms .. 64 hours");
  }
  return util::Status::Ok();
}

}  // namespace depin::verify
