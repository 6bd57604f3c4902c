#include "ingest/submission.h"

#include <gtest/gtest.h>

#include <string>

#include "wire/proto/submission.pb.h"

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

// The hand-written parser and the published schema (src/wire/proto/submission.proto) agree in
// both directions: a body protoc's code writes parses into the same entries, and a body built
// with AppendSubmissionEntry is read by protoc's code as the same messages.
TEST(SubmissionTest, AgreesWithThePublishedSchema) {
  v1::ReportSubmission published;
  wire::v1::SignedReport* signed_report = published.add_signed_reports();
  signed_report->mutable_report()->set_version(1);
  signed_report->mutable_report()->set_device_key(std::string(32, 'k'));
  signed_report->mutable_report()->set_timestamp_ms(1'700'000'000'000);
  signed_report->set_signature(std::string(64, 's'));
  wire::v1::ReportBatch* batch = published.add_batches();
  batch->set_device_key(std::string(32, 'b'));
  batch->add_reports()->set_version(1);
  v1::BatchedReport* proven = published.add_proven_reports();
  proven->mutable_report()->set_version(1);
  proven->mutable_proof()->set_leaf_count(2);
  proven->mutable_proof()->add_siblings(std::string(32, 'p'));

  const std::string wire_bytes = published.SerializeAsString();
  const util::Bytes published_body(wire_bytes.begin(), wire_bytes.end());  // the views point here
  auto view = ParseSubmission(published_body);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  ASSERT_EQ(view->signed_reports.size(), 1u);
  ASSERT_EQ(view->batches.size(), 1u);
  ASSERT_EQ(view->proven_reports.size(), 1u);
  EXPECT_EQ(util::AsChars(view->signed_reports[0]), signed_report->SerializeAsString());
  EXPECT_EQ(util::AsChars(view->batches[0]), batch->SerializeAsString());
  EXPECT_EQ(util::AsChars(view->proven_reports[0]), proven->SerializeAsString());

  util::Bytes body;
  AppendSubmissionEntry(kSubmissionSignedReportField, B(signed_report->SerializeAsString()), &body);
  AppendSubmissionEntry(kSubmissionBatchField, B(batch->SerializeAsString()), &body);
  AppendSubmissionEntry(kSubmissionProvenReportField, B(proven->SerializeAsString()), &body);
  v1::ReportSubmission read;
  ASSERT_TRUE(read.ParseFromArray(body.data(), static_cast<int>(body.size())));
  EXPECT_EQ(read.SerializeAsString(), wire_bytes);
}

}  // namespace
}  // namespace depin::ingest
