#include "util/status.h"

#include <gtest/gtest.h>

#include "util/result.h"

namespace depin::util {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("bad hex");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad hex");
  EXPECT_EQ(s.ToString(), "invalid_argument: bad hex");
}

TEST(StatusTest, CopyIsDeep) {
  Status a = Status::NotFound("x");
  Status b = a;
  a = Status::Ok();
  EXPECT_EQ(b.code(), Code::kNotFound);
  EXPECT_TRUE(a.ok());
}

TEST(StatusTest, WithContextKeepsCode) {
  Status s = Status::Corruption("crc mismatch").WithContext("segment-7.log");
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), "segment-7.log: crc mismatch");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  DEPIN_ASSIGN_OR_RETURN(int h, Half(x));
  DEPIN_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, PropagatesValueAndError) {
  ASSERT_TRUE(Quarter(8).ok());
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, OkStatusBecomesInternalError) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace depin::util
