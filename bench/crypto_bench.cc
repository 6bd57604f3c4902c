// Google Benchmark micro-benchmarks of the crypto layer: the per-operation costs behind
// `depin bench crypto`. Run: build/bin/depin_crypto_bench
#include <benchmark/benchmark.h>

#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/merkle.h"

namespace {

using depin::crypto::Blake2b256;
using depin::crypto::Hash256;
using depin::crypto::KeyPair;
using depin::crypto::MerkleLeafHash;
using depin::crypto::MerkleRoot;
using depin::crypto::Sha256;
using depin::crypto::Signature;
using depin::crypto::Verify;
using depin::util::Bytes;

constexpr size_t kReportSize = 200;  // a device report

Bytes Report() {
  Bytes b(kReportSize);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(i);
  return b;
}

void BM_Ed25519Verify(benchmark::State& state) {
  KeyPair key = KeyPair::Generate();
  Bytes msg = Report();
  Signature sig = key.Sign(msg);
  for (auto _ : state) benchmark::DoNotOptimize(Verify(key.public_key(), msg, sig));
}
BENCHMARK(BM_Ed25519Verify);

void BM_Ed25519Sign(benchmark::State& state) {
  KeyPair key = KeyPair::Generate();
  Bytes msg = Report();
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(msg));
}
BENCHMARK(BM_Ed25519Sign);

void BM_Sha256_200B(benchmark::State& state) {
  Bytes msg = Report();
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(msg));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kReportSize));
}
BENCHMARK(BM_Sha256_200B);

void BM_Blake2b256_200B(benchmark::State& state) {
  Bytes msg = Report();
  for (auto _ : state) benchmark::DoNotOptimize(Blake2b256(msg));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kReportSize));
}
BENCHMARK(BM_Blake2b256_200B);

void BM_MerkleRoot32(benchmark::State& state) {
  std::vector<Hash256> leaves;
  Bytes msg = Report();
  for (int i = 0; i < 32; ++i) {
    msg[0] = static_cast<uint8_t>(i);
    leaves.push_back(MerkleLeafHash(msg));
  }
  for (auto _ : state) benchmark::DoNotOptimize(MerkleRoot(leaves));
}
BENCHMARK(BM_MerkleRoot32);

}  // namespace

int main(int argc, char** argv) {
  if (!depin::crypto::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
