#include "ingest/verify_pool.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace depin::ingest {
namespace {

struct Signed {
  std::array<uint8_t, 32> pk;
  std::array<uint8_t, 64> sig;
  std::string msg;
};

Signed MakeSigned(int i) {
  std::array<uint8_t, 64> sk;
  Signed s;
  crypto_sign_keypair(s.pk.data(), sk.data());
  s.msg = "report number " + std::to_string(i);
  crypto_sign_detached(s.sig.data(), nullptr, reinterpret_cast<const uint8_t*>(s.msg.data()),
                       s.msg.size(), sk.data());
  return s;
}

// A job that records its completion so the test can wait on it.
class TestJob : public VerifyJob {
 public:
  void OnVerified() override {
    std::lock_guard lock(mu);
    ++completions;
    cv.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return completions > 0; });
  }
  std::mutex mu;
  std::condition_variable cv;
  int completions = 0;
};

void AddItem(TestJob* job, const Signed& s) {
  job->items.push_back(
      {s.pk.data(), s.sig.data(), reinterpret_cast<const uint8_t*>(s.msg.data()), s.msg.size()});
}

TEST(VerifyPoolTest, VerifiesEveryItemAndCompletesOnce) {
  ASSERT_GE(sodium_init(), 0);
  std::vector<Signed> sigs;
  for (int i = 0; i < 103; ++i) sigs.push_back(MakeSigned(i));
  sigs[5].sig[3] ^= 1;        // forged signature
  sigs[50].msg[0] ^= 1;       // tampered message
  sigs[99].pk = sigs[98].pk;  // wrong key
  VerifyPool pool(2);
  TestJob job;
  for (const auto& s : sigs) AddItem(&job, s);
  ASSERT_TRUE(pool.Submit(&job).ok());
  job.Wait();
  EXPECT_EQ(job.completions, 1);
  for (size_t i = 0; i < sigs.size(); ++i) {
    EXPECT_EQ(job.ok[i], (i == 5 || i == 50 || i == 99) ? 0 : 1) << i;
  }
  EXPECT_EQ(pool.pending_items(), 0u);
  EXPECT_EQ(pool.verified_total(), sigs.size());
}

TEST(VerifyPoolTest, ManySmallJobsFromManyThreads) {
  std::vector<Signed> sigs;
  for (int i = 0; i < 16; ++i) sigs.push_back(MakeSigned(i));
  VerifyPool pool(2);
  std::vector<std::unique_ptr<TestJob>> jobs;
  for (int j = 0; j < 200; ++j) {
    jobs.push_back(std::make_unique<TestJob>());
    AddItem(jobs.back().get(), sigs[j % sigs.size()]);
  }
  std::vector<std::thread> submitters;
  for (int t = 0; t < 2; ++t) {
    submitters.emplace_back([&, t] {
      for (size_t j = t; j < jobs.size(); j += 2) ASSERT_TRUE(pool.Submit(jobs[j].get()).ok());
    });
  }
  for (auto& t : submitters) t.join();
  for (auto& job : jobs) {
    job->Wait();
    EXPECT_EQ(job->ok[0], 1);
  }
}

TEST(VerifyPoolTest, EmptyJobCompletesInline) {
  VerifyPool pool(1);
  TestJob job;
  ASSERT_TRUE(pool.Submit(&job).ok());
  EXPECT_EQ(job.completions, 1);
}

// A job whose completion blocks until released, to hold the pool's queue full deterministically.
class GateJob : public TestJob {
 public:
  void OnVerified() override {
    std::unique_lock lock(gate_mu);
    entered = true;
    gate_cv.notify_all();
    gate_cv.wait(lock, [&] { return open; });
    lock.unlock();
    TestJob::OnVerified();
  }
  void Open() {
    std::lock_guard lock(gate_mu);
    open = true;
    gate_cv.notify_all();
  }
  void WaitEntered() {
    std::unique_lock lock(gate_mu);
    gate_cv.wait(lock, [&] { return entered; });
  }
  std::mutex gate_mu;
  std::condition_variable gate_cv;
  bool entered = false;
  bool open = false;
};

TEST(VerifyPoolTest, FullQueueIsResourceExhausted) {
  Signed s = MakeSigned(1);
  VerifyPool pool(1, /*max_pending_items=*/8);
  GateJob blocker;  // occupies the only worker once verified
  AddItem(&blocker, s);
  ASSERT_TRUE(pool.Submit(&blocker).ok());
  blocker.WaitEntered();  // the only worker is now busy and nothing is pending
  TestJob big;
  for (int i = 0; i < 8; ++i) AddItem(&big, s);
  ASSERT_TRUE(pool.Submit(&big).ok());  // 8 pending: at the limit
  TestJob extra;
  AddItem(&extra, s);
  util::Status st = pool.Submit(&extra);
  EXPECT_EQ(st.code(), util::Code::kResourceExhausted) << st.ToString();
  blocker.Open();
  big.Wait();
  ASSERT_TRUE(pool.Submit(&extra).ok());
  extra.Wait();
  EXPECT_EQ(extra.ok[0], 1);
}

}  // namespace
}  // namespace depin::ingest
