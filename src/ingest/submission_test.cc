#include "ingest/submission.h"

#include <gtest/gtest.h>

#include <string>

namespace depin::ingest {
namespace {

util::Bytes B(std::string_view s) { return util::Bytes(s.begin(), s.end()); }

TEST(SubmissionTest, RoundTripsReportsAndBatchesInOrder) {
  util::Bytes body;
  AppendSubmissionEntry(kSubmissionSignedReportField, B("first"), &body);
  AppendSubmissionEntry(kSubmissionBatchField, B("batch"), &body);
  std::string big(300, 'x');  // two-byte length varint
  AppendSubmissionEntry(kSubmissionSignedReportField, B(big), &body);
  auto view = ParseSubmission(body);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  ASSERT_EQ(view->signed_reports.size(), 2u);
  ASSERT_EQ(view->batches.size(), 1u);
  EXPECT_EQ(util::AsChars(view->signed_reports[0]), "first");
  EXPECT_EQ(util::AsChars(view->signed_reports[1]), big);
  EXPECT_EQ(util::AsChars(view->batches[0]), "batch");
}

TEST(SubmissionTest, SkipsUnknownFields) {
  util::Bytes body = {0x18, 0x05};  // field 3 varint
  AppendSubmissionEntry(kSubmissionSignedReportField, B("r"), &body);
  body.insert(body.end(), {0x25, 1, 2, 3, 4});  // field 4 fixed32
  auto view = ParseSubmission(body);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->signed_reports.size(), 1u);
}

TEST(SubmissionTest, RejectsMalformedFraming) {
  util::Bytes body;
  AppendSubmissionEntry(kSubmissionSignedReportField, B("hello world"), &body);
  // Truncated at every position: the length runs past the end.
  for (size_t cut = 1; cut < body.size(); ++cut) {
    auto view = ParseSubmission(util::ByteView(body).first(cut));
    ASSERT_FALSE(view.ok()) << cut;
    EXPECT_EQ(view.status().code(), util::Code::kInvalidArgument);
  }
  auto r = ParseSubmission(util::ByteView(body).first(5));
  EXPECT_NE(r.status().message().find("truncated"), std::string_view::npos)
      << r.status().ToString();
  util::Bytes group = {0x0b};  // wire type 3 (start group)
  EXPECT_NE(ParseSubmission(group).status().message().find("wire type"), std::string_view::npos);
  util::Bytes overlong(11, 0xff);
  EXPECT_FALSE(ParseSubmission(overlong).ok());
  EXPECT_FALSE(ParseSubmission(util::Bytes{}).ok());  // empty: nothing to ingest
}

TEST(SubmissionTest, RejectsTooManyEntries) {
  util::Bytes body;
  for (size_t i = 0; i <= kMaxSubmissionEntries; ++i) {
    AppendSubmissionEntry(kSubmissionSignedReportField, B("r"), &body);
  }
  auto view = ParseSubmission(body);
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.status().message().find("entries"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::ingest
