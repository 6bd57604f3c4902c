#include "config/network_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "config/epoch_config.h"
#include "config/ledger_params.h"
#include "config/network_template.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::config {
namespace {

std::string RandomKey() {
  static std::mt19937_64 rng(42);
  util::Bytes raw(32);
  for (auto& b : raw) b = static_cast<uint8_t>(rng());
  return util::Base58Encode(raw);
}

class NetworkConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = {RandomKey(), RandomKey(), RandomKey(), RandomKey(), RandomKey()};
    text_ = RenderNetworkTemplate(keys_);
  }

  // 1-based line of the first occurrence of `needle` in text_ (after edits).
  int LineOf(std::string_view needle) const {
    size_t pos = text_.find(needle);
    EXPECT_NE(pos, std::string::npos) << needle;
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + pos, '\n'));
  }
  void Replace(std::string_view from, std::string_view to) {
    size_t pos = text_.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    text_.replace(pos, from.size(), to);
  }
  std::string Error() const {
    util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
    EXPECT_FALSE(r.ok());
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), util::Code::kInvalidArgument);
    return std::string(r.status().message());
  }
  std::string At(std::string_view needle, std::string_view rest) const {
    return "network.toml:" + std::to_string(LineOf(needle)) + ": " + std::string(rest);
  }

  // One bad value per case: from text_ as it is, `line` replaced by `bad` must fail with
  // `error` at the bad line. text_ is left as it was.
  struct BadValue {
    std::string line, bad, error;
  };
  void ExpectEachFails(const std::vector<BadValue>& cases) {
    const std::string base = text_;
    for (const BadValue& c : cases) {
      text_ = base;
      Replace(c.line, c.bad);
      EXPECT_EQ(Error(), At(c.bad, c.error)) << c.bad;
    }
    text_ = base;
  }

  TemplateKeys keys_;
  std::string text_;
};

TEST_F(NetworkConfigTest, TemplateParsesAndValidates) {
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const NetworkConfig& c = *r;
  EXPECT_EQ(c.network.name, "opendepin-dev");
  EXPECT_EQ(c.network.id, "dev-1");
  EXPECT_EQ(c.token.symbol, "DPN");
  EXPECT_EQ(c.token.decimals, 6u);
  EXPECT_EQ(c.token.supply_cap, 10'000'000'000'000'000u);
  ASSERT_EQ(c.token.genesis.size(), 1u);
  EXPECT_EQ(c.token.genesis[0].account, keys_.governance);
  EXPECT_EQ(c.epoch.length_seconds, 30u);
  EXPECT_EQ(c.emission.schedule, EmissionSchedule::kHalving);
  EXPECT_EQ(c.emission.initial_per_epoch, 1'000'000'000u);
  EXPECT_EQ(c.emission.halving_interval_epochs, 1000u);
  EXPECT_FALSE(c.emission.cap.has_value());
  EXPECT_EQ(c.emission.net_reemit_bps, 5000u);
  ASSERT_EQ(c.resource_classes.size(), 3u);
  EXPECT_EQ(c.resource_classes[1].name, "sensor");
  EXPECT_EQ(c.resource_classes[1].proofs,
            (std::vector<ProofKind>{ProofKind::kHeartbeat, ProofKind::kSensorBatch}));
  ASSERT_EQ(c.pools.size(), 3u);
  EXPECT_EQ(c.pools[0].share_ppm, 400'000u);
  EXPECT_EQ(c.pools[1].share_ppm, 450'000u);
  EXPECT_EQ(c.pools[2].share_ppm, 150'000u);
  EXPECT_EQ(c.pools[0].overflow_to, "coverage");
  EXPECT_EQ(c.credits.usd_per_dc_nanos, 10'000u);
  EXPECT_EQ(c.credits.price_max_age_seconds, 600u);
  EXPECT_EQ(c.fees.onboarding_dc, 4'000'000u);
  EXPECT_TRUE(c.fees.first_location_free);
  EXPECT_EQ(c.keys.governance, keys_.governance);
  EXPECT_EQ(c.keys.producer, keys_.producer);
  EXPECT_EQ(c.keys.price_oracles, std::vector<std::string>{keys_.price_oracle});
  EXPECT_EQ(c.keys.reward_oracles, std::vector<std::string>{keys_.reward_oracle});
  EXPECT_EQ(c.keys.makers, std::vector<std::string>{keys_.maker});
  EXPECT_EQ(c.api.admin_token_file, "keys/admin.token");
  EXPECT_EQ(c.api.body_limit_bytes, 1048576u);
  EXPECT_EQ(c.api.read_timeout_seconds, 30u);
  EXPECT_EQ(c.api.max_connections, 4096u);
  EXPECT_EQ(c.api.max_connections_per_client, 64u);
  EXPECT_EQ(c.api.idle_timeout_seconds, 10u);
  EXPECT_EQ(c.api.header_timeout_seconds, 10u);
}

TEST_F(NetworkConfigTest, SharesMustSumToExactlyOne) {
  Replace("share = \"0.15\"", "share = \"0.20\"");
  EXPECT_EQ(Error(), At("[[rewards.pools]]", "rewards.pools: shares sum to 1.05, must be 1.00"));
  Replace("share = \"0.20\"", "share = \"0.149999\"");
  EXPECT_EQ(Error(),
            At("[[rewards.pools]]", "rewards.pools: shares sum to 0.999999, must be 1.00"));
}

TEST_F(NetworkConfigTest, ShareIsAnExactDecimalString) {
  Replace("share = \"0.40\"", "share = 0.40");
  EXPECT_EQ(Error(), At("share = 0.40",
                        "rewards.pools[0].share: must be a decimal string like "
                        "\"0.40\", not a float (floats are not exact)"));
  Replace("share = 0.40", "share = \"0.4000001\"");
  EXPECT_EQ(Error(), At("share = \"0.4000001\"",
                        "rewards.pools[0].share: decimal \"0.4000001\" has more than 6 decimal "
                        "places"));
}

TEST_F(NetworkConfigTest, MissingRequiredField) {
  Replace("symbol = \"DPN\"\n", "");
  EXPECT_EQ(Error(), At("[token]", "token.symbol: missing required field"));
}

TEST_F(NetworkConfigTest, MissingRequiredSection) {
  Replace("[epoch]\nlength = \"30s\"", "");
  EXPECT_EQ(Error(), "network.toml:1: epoch: missing required field");
}

TEST_F(NetworkConfigTest, WrongType) {
  Replace("decimals = 6 ", "decimals = true ");
  EXPECT_EQ(Error(), At("decimals = true", "token.decimals: must be an integer, not a boolean"));
}

TEST_F(NetworkConfigTest, DecimalsOutOfRange) {
  Replace("decimals = 6 ", "decimals = 19 ");
  EXPECT_EQ(Error(), At("decimals = 19", "token.decimals: is 19, must be between 0 and 18"));
}

TEST_F(NetworkConfigTest, EpochLengthMustBePositiveDuration) {
  Replace("length = \"30s\"", "length = \"0s\"");
  EXPECT_EQ(Error(), At("length = \"0s\"", "epoch.length: duration must be greater than zero"));
  Replace("length = \"0s\"", "length = \"30 seconds\"");
  EXPECT_EQ(Error(), At("length = \"30 seconds\"",
                        "epoch.length: duration \"30 seconds\" has an unknown unit (use s, m, h "
                        "or d)"));
  Replace("length = \"30 seconds\"", "length = \"24h\"");
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->epoch.length_seconds, 86400u);
}

TEST_F(NetworkConfigTest, UnknownProofKind) {
  Replace("\"heartbeat\", \"sensor_batch\"", "\"heartbeat\", \"sensor_btach\"");
  EXPECT_EQ(Error(),
            At("\"sensor_btach\"",
               "resource_classes[1].proofs[1]: unknown proof kind \"sensor_btach\" (known: "
               "heartbeat, coverage_beacon, coverage_witness, data_transfer, speedtest, "
               "sensor_batch, storage_proof, compute_receipt)"));
}

TEST_F(NetworkConfigTest, UnknownKeyIsReportedAsTypo) {
  Replace("symbol = \"DPN\"", "sybmol = \"DPN\"");
  EXPECT_EQ(Error(), At("sybmol", "token.sybmol: unknown field (did you mean 'symbol'?)"));
}

TEST_F(NetworkConfigTest, UnknownSectionIsReportedAsTypo) {
  Replace("[fees]", "[fess]");
  EXPECT_EQ(Error(), At("[fess]", "fess: unknown field (did you mean 'fees'?)"));
}

TEST_F(NetworkConfigTest, MalformedBase58Key) {
  Replace("producer = \"" + keys_.producer + "\"", "producer = \"0OIl\"");
  EXPECT_EQ(Error(), At("producer = \"0OIl\"",
                        "keys.producer: malformed base58 key: " +
                            std::string(util::Base58Decode("0OIl").status().message())));
  Replace("producer = \"0OIl\"", "producer = \"abc\"");
  EXPECT_EQ(Error(), At("producer = \"abc\"",
                        "keys.producer: malformed base58 key: decodes to 3 bytes, an Ed25519 "
                        "public key has 32"));
}

TEST_F(NetworkConfigTest, MalformedKeyInList) {
  Replace("makers = [\"" + keys_.maker + "\"]", "makers = [\"" + keys_.maker + "\", \"xyz\"]");
  EXPECT_EQ(Error(), At("makers = [",
                        "keys.makers[1]: malformed base58 key: decodes to 3 bytes, "
                        "an Ed25519 public key has 32"));
}

TEST_F(NetworkConfigTest, DuplicatePoolName) {
  Replace("name = \"operations\"", "name = \"usage\"");
  EXPECT_EQ(Error(), At("name = \"usage\"               # oracles",
                        "rewards.pools[2].name: duplicate pool name \"usage\""));
}

TEST_F(NetworkConfigTest, OverflowToMustNameAPool) {
  Replace("overflow_to = \"coverage\"", "overflow_to = \"coverag\"");
  EXPECT_EQ(Error(), At("overflow_to", "rewards.pools[0].overflow_to: names no pool \"coverag\""));
}

TEST_F(NetworkConfigTest, TomlSyntaxErrorHasLine) {
  Replace("decimals = 6 ", "decimals = = 6 ");
  std::string error = Error();
  std::string prefix = At("decimals = = 6", "TOML syntax error: ");
  EXPECT_EQ(error.substr(0, prefix.size()), prefix) << error;
}

TEST_F(NetworkConfigTest, ScheduleSpecificFields) {
  Replace("schedule = \"halving\"", "schedule = \"decay\"");
  EXPECT_EQ(Error(), At("halving_interval_epochs = 1000",
                        "emission.halving_interval_epochs: is only used with schedule = "
                        "\"halving\""));
  Replace("halving_interval_epochs = 1000", "");
  EXPECT_EQ(Error(), At("[emission]", "emission.half_life_epochs: missing required field"));
  Replace("# half_life_epochs = 1000", "half_life_epochs = 1000");
  ASSERT_TRUE(ParseNetworkConfig(text_, "network.toml").ok());
  Replace("schedule = \"decay\"", "schedule = \"linear\"");
  EXPECT_EQ(Error(), At("schedule = \"linear\"",
                        "emission.schedule: is \"linear\", must be \"fixed\", \"halving\" or "
                        "\"decay\""));
}

TEST_F(NetworkConfigTest, GenesisTimeAndLedgerSection) {
  keys_.genesis_time_ms = 1'796'786'321'000;  // 2026-12-09T03:18:41Z
  text_ = RenderNetworkTemplate(keys_);
  EXPECT_NE(text_.find("genesis_time = 2026-12-09T03:18:41Z"), std::string::npos) << text_;
  Replace("# slash_quorum = 1", "slash_quorum = 1");
  Replace("min_fee = 0", "min_fee = 25");
  Replace("block_interval_ms = 0", "block_interval_ms = 250");
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->network.genesis_time_ms, 1'796'786'321'000);
  EXPECT_EQ(r->ledger.unstake_cooldown_epochs, 7u);
  EXPECT_EQ(r->ledger.min_fee, 25u);
  EXPECT_EQ(r->ledger.slash_quorum, 1u);
  EXPECT_EQ(r->ledger.block_interval_ms, 250u);
  EXPECT_EQ(r->ledger.max_block_txs, 20'000u);
  EXPECT_EQ(r->ledger.mempool_size, 200'000u);
  // The node's ledger parameters and producer/mempool options come from these fields.
  util::Result<ledger::LedgerParams> p = LedgerParamsFromConfig(*r);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->genesis_time_ms, 1'796'786'321'000);
  EXPECT_EQ(p->unstake_cooldown_epochs, 7u);
  EXPECT_EQ(p->min_fee, 25u);
  EXPECT_EQ(p->slash_oracle_quorum, 1u);
  EXPECT_EQ(ledger::EpochOf(*p, 1'796'786'321'000 + 61'000), 2u);  // 30 s epochs
  LedgerRuntime rt = LedgerRuntimeFromConfig(*r);
  EXPECT_EQ(rt.producer.min_interval_ms, 250);
  EXPECT_EQ(rt.producer.max_block_txs, 20'000u);
  EXPECT_EQ(rt.mempool.max_txs, 200'000u);
  EXPECT_EQ(FormatUtcTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtcTimestamp(951'782'400'000), "2000-02-29T00:00:00Z");
}

TEST_F(NetworkConfigTest, GenesisTimeOffsetsAndErrors) {
  Replace("genesis_time = 1970-01-01T00:00:00Z", "genesis_time = 2000-02-29T02:00:00.250+02:00");
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->network.genesis_time_ms, 951'782'400'250);
  Replace("2000-02-29T02:00:00.250+02:00", "2000-02-29T02:00:00");
  EXPECT_EQ(Error(), At("genesis_time",
                        "network.genesis_time: must include a UTC offset "
                        "(append Z for UTC)"));
  Replace("genesis_time = 2000-02-29T02:00:00", "genesis_time = \"2000-02-29T02:00:00Z\"");
  EXPECT_EQ(Error(), At("genesis_time",
                        "network.genesis_time: must be an RFC 3339 date-time like "
                        "2026-01-01T00:00:00Z (unquoted), not a string"));
  Replace("\"2000-02-29T02:00:00Z\"", "1969-12-31T23:59:59Z");
  EXPECT_EQ(Error(), At("genesis_time", "network.genesis_time: is before 1970-01-01T00:00:00Z"));
}

TEST_F(NetworkConfigTest, LedgerValuesOutOfRange) {
  ExpectEachFails({
      {"unstake_cooldown_epochs = 7", "unstake_cooldown_epochs = 1000001",
       "ledger.unstake_cooldown_epochs: is 1000001, must be between 0 and 1000000"},
      {"min_fee = 0", "min_fee = 10000000000000001",
       "ledger.min_fee: is 10000000000000001, must be between 0 and 10000000000000000"},
      {"# slash_quorum = 1", "slash_quorum = 2",
       "ledger.slash_quorum: is 2, must be between 1 and 1"},
      {"block_interval_ms = 0", "block_interval_ms = 3600001",
       "ledger.block_interval_ms: is 3600001, must be between 0 and 3600000"},
      {"max_block_txs = 20000", "max_block_txs = 0",
       "ledger.max_block_txs: is 0, must be between 1 and 100000"},
      {"mempool_size = 200000", "mempool_size = 0",
       "ledger.mempool_size: is 0, must be between 1 and 10000000"},
  });
  Replace("mempool_size = 200000", "mempool_sise = 5");
  EXPECT_NE(Error().find("ledger.mempool_sise: unknown field"), std::string::npos) << Error();
}

TEST_F(NetworkConfigTest, IngestSection) {
  util::Result<NetworkConfig> defaults = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->ingest.max_report_age_seconds, 600u);
  EXPECT_EQ(defaults->ingest.group_interval_us, 1000u);
  EXPECT_EQ(defaults->ingest.retain_epochs, 0u);
  Replace("max_report_age = \"10m\"", "max_report_age = \"5m\"");
  Replace("device_rate = 0", "device_rate = 2");
  Replace("client_rate = 0", "client_rate = 500");
  Replace("client_burst = 0", "client_burst = 2000");
  Replace("retain_epochs = 0", "retain_epochs = 14");
  Replace("group_interval_us = 1000", "group_interval_us = 0");
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ingest.max_report_age_seconds, 300u);
  EXPECT_EQ(r->ingest.device_rate, 2u);
  EXPECT_EQ(r->ingest.device_burst, 2u);  // 0: the rate
  EXPECT_EQ(r->ingest.client_burst, 2000u);
  EXPECT_EQ(r->ingest.retain_epochs, 14u);

  ExpectEachFails({
      {"max_in_flight_reports = 65536", "max_in_flight_reports = 0",
       "ingest.max_in_flight_reports: is 0, must be between 1 and 16777216"},
      {"segment_max_bytes = 67108864", "segment_max_bytes = 1024",
       "ingest.segment_max_bytes: is 1024, must be between 65536 and 4294967296"},
      {"group_interval_us = 0", "group_interval_us = 1000001",
       "ingest.group_interval_us: is 1000001, must be between 0 and 1000000"},
  });
  Replace("max_clock_skew = \"60s\"", "max_clock_skew = \"soon\"");
  EXPECT_NE(Error().find("ingest.max_clock_skew"), std::string::npos) << Error();
}

// [rewards.verify] carries the verifiers' rules into the reward config; the dev template writes
// each out, an explicit uptime minimum the epoch cannot hold is refused, and an absent section
// keeps VerifyParams' defaults (the uptime minimum lowered to the epoch's hours).
TEST_F(NetworkConfigTest, VerifyRulesReachTheVerifiersAndImpossibleOnesAreRefused) {
  Replace("length = \"30s\"", "length = \"24h\"");
  Replace("min_heartbeat_hours = 1 ", "min_heartbeat_hours = 20");
  Replace("speedtest_window = \"48h\"", "speedtest_window = \"24h\"");
  Replace("bytes_per_dc = 24", "bytes_per_dc = 1000");
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  util::Result<rewards::RewardConfig> rc = RewardConfigFromNetwork(*r);
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->verify.min_heartbeat_hours, 20u);
  EXPECT_EQ(rc->verify.speedtest_window_ms, 24ull * 3600 * 1000);
  EXPECT_EQ(rc->verify.bytes_per_dc, 1000u);
  EXPECT_EQ(rc->verify.min_speedtests, 2u);
  EXPECT_EQ(rc->verify.max_clock_skew_ms, 300'000u);

  ExpectEachFails({
      {"min_heartbeat_hours = 20", "min_heartbeat_hours = 0",
       "rewards.verify.min_heartbeat_hours: is 0, must be between 1 and 64"},
      {"min_speedtests = 2 ", "min_speedtests = 0 ",
       "rewards.verify.min_speedtests: is 0, must be between 1 and 1000"},
  });
  Replace("length = \"24h\"", "length = \"30s\"");
  EXPECT_NE(Error().find("rewards.verify.min_heartbeat_hours: is 20 but an epoch holds only 1 "
                         "distinct hour(s)"),
            std::string::npos)
      << Error();

  // Without the section, the defaults: 12 hours, lowered to a 30 s epoch's single hour.
  const size_t at = text_.find("[rewards.verify]");
  const size_t end = text_.find("\n\n", at);
  text_.erase(at, end - at);
  r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  rc = RewardConfigFromNetwork(*r);
  ASSERT_TRUE(rc.ok()) << rc.status().ToString();
  EXPECT_EQ(rc->verify.min_heartbeat_hours, 1u);
  EXPECT_EQ(rc->verify.speedtest_window_ms, verify::VerifyParams{}.speedtest_window_ms);
  EXPECT_EQ(rc->verify.bytes_per_dc, verify::VerifyParams{}.bytes_per_dc);
}

TEST_F(NetworkConfigTest, LoadNamesThePath) {
  util::TempDir dir;
  const std::string path = dir.File("network.toml");
  Replace("decimals = 6 ", "decimals = 19 ");
  std::ofstream(path) << text_;
  util::Result<NetworkConfig> r = LoadNetworkConfig(util::Env::Default(), path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path + ":" + std::to_string(LineOf("decimals = 19")) +
                                      ": token.decimals: is 19, must be between 0 and 18");
  r = LoadNetworkConfig(util::Env::Default(), dir.File("missing.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), util::Code::kNotFound);
}

TEST(ConfigValuesTest, Durations) {
  EXPECT_EQ(*ParseDurationSeconds("30s"), 30u);
  EXPECT_EQ(*ParseDurationSeconds("5m"), 300u);
  EXPECT_EQ(*ParseDurationSeconds("1h30m"), 5400u);
  EXPECT_EQ(*ParseDurationSeconds("2d"), 172800u);
  EXPECT_FALSE(ParseDurationSeconds("").ok());
  EXPECT_FALSE(ParseDurationSeconds("30").ok());
  EXPECT_FALSE(ParseDurationSeconds("-1s").ok());
  EXPECT_FALSE(ParseDurationSeconds("99999999999999999999s").ok());
}

TEST(ConfigValuesTest, FixedDecimals) {
  EXPECT_EQ(*ParseFixedDecimal("0.40", 6), 400000u);
  EXPECT_EQ(*ParseFixedDecimal("1", 6), 1000000u);
  EXPECT_EQ(*ParseFixedDecimal("0.00001", 9), 10000u);
  EXPECT_EQ(*ParseFixedDecimal("18446744073709551615", 0), UINT64_MAX);
  EXPECT_FALSE(ParseFixedDecimal("18446744073709551616", 0).ok());
  EXPECT_FALSE(ParseFixedDecimal(".5", 6).ok());
  EXPECT_FALSE(ParseFixedDecimal("1.", 6).ok());
  EXPECT_FALSE(ParseFixedDecimal("1e3", 6).ok());
  EXPECT_FALSE(ParseFixedDecimal("-0.1", 6).ok());
  EXPECT_EQ(FormatFixedDecimal(1050000, 6, 2), "1.05");
  EXPECT_EQ(FormatFixedDecimal(1000000, 6, 2), "1.00");
  EXPECT_EQ(FormatFixedDecimal(5, 6, 2), "0.000005");
}

}  // namespace
}  // namespace depin::config

namespace depin::config {
namespace {

// Combinations the verifiers cannot judge are refused at the line of the offending `proofs`.
class ProofConfigTest : public NetworkConfigTest {
 protected:
  void ExpectRefused(std::string_view from, std::string_view to, std::string_view needle,
                     std::string_view field, std::string_view fragment) {
    const std::string base = text_;
    Replace(from, to);
    const std::string error = Error();
    EXPECT_EQ(error.rfind(At(needle, std::string(field) + ": "), 0), 0u) << error;
    EXPECT_NE(error.find(fragment), std::string::npos) << error;
    text_ = base;
  }
  const std::string wireless_ = R"(proofs = ["heartbeat", "data_transfer", "speedtest"])";
  const std::string usage_ = R"(proofs = ["data_transfer"])";
};

TEST_F(ProofConfigTest, TemplateClassesEachRunTheirVerifiers) {
  util::Result<NetworkConfig> r = ParseNetworkConfig(text_, "network.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->resource_classes.size(), 3u);
  EXPECT_EQ(r->resource_classes[2].name, "hotspot");
  EXPECT_EQ(r->proofs.entropy_cadence_seconds, 60u);
  EXPECT_EQ(r->proofs.max_entropy_age_seconds, 180u);
  EXPECT_EQ(r->proofs.beacon_interval_seconds, 6u * 3600);
}

TEST_F(ProofConfigTest, RefusesClassesWithoutAVerifierOrWithImpossibleCombinations) {
  const std::string storage = R"(proofs = ["heartbeat", "storage_proof"])";
  ExpectRefused(wireless_, storage, storage, "resource_classes[0].proofs",
                "proof kind \"storage_proof\" has no verifier in this engine");
  const std::string beacon = R"(proofs = ["heartbeat", "coverage_beacon"])";
  ExpectRefused(wireless_, beacon, beacon, "resource_classes[0].proofs",
                "coverage_beacon and coverage_witness go together");
  const std::string speedtest = R"(proofs = ["speedtest", "data_transfer"])";
  ExpectRefused(wireless_, speedtest, speedtest, "resource_classes[0].proofs",
                "speedtest needs heartbeat");
  const std::string both =
      R"(proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "sensor_batch"])";
  ExpectRefused(wireless_, both, both, "resource_classes[0].proofs", "one physical proof");
  const std::string speed_cov =
      R"(proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "speedtest"])";
  ExpectRefused(wireless_, speed_cov, speed_cov, "resource_classes[0].proofs",
                "speedtest cannot count");
}

TEST_F(ProofConfigTest, RefusesPoolsAndClassesThatDoNotMeet) {
  const std::string mixed = R"(proofs = ["data_transfer", "heartbeat"])";
  ExpectRefused(usage_, mixed, mixed, "rewards.pools[0].proofs", "a pool of its own");
  const std::string unpaid = R"(proofs = [])";
  ExpectRefused(usage_, unpaid, wireless_, "resource_classes[0].proofs",
                "proof kind \"data_transfer\" is rewarded by no [[rewards.pools]]");
  const std::string coverage =
      R"(proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "speedtest", "sensor_batch"])";
  const std::string compute =
      R"(proofs = ["heartbeat", "coverage_beacon", "coverage_witness", "speedtest", "sensor_batch", "compute_receipt"])";
  ExpectRefused(coverage, compute, compute, "rewards.pools[1].proofs",
                "proof kind \"compute_receipt\" is accepted by no [[resource_classes]]");
}

TEST_F(ProofConfigTest, BeaconIntervalAllowsAtMost64BeaconsAnEpoch) {
  Replace("length = \"30s\"", "length = \"2h\"");
  ExpectRefused("beacon_interval = \"6h\"", "beacon_interval = \"1m\"", "beacon_interval = \"1m\"",
                "proofs.beacon_interval", "more than 64 beacons per epoch");
}

}  // namespace
}  // namespace depin::config
