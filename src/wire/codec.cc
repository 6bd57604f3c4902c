#include "wire/codec.h"

#include <string>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace depin::wire {

util::Bytes Serialize(const google::protobuf::Message& message) {
  util::Bytes out(message.ByteSizeLong());
  google::protobuf::io::ArrayOutputStream array(out.data(), static_cast<int>(out.size()));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&coded);
  return out;
}

util::Status ParseLimited(util::ByteView bytes, size_t max_size, std::string_view what,
                          google::protobuf::Message* message) {
  if (bytes.size() > max_size) {
    return util::Status::InvalidArgument(std::string(what) + ": " + std::to_string(bytes.size()) +
                                         " bytes, max " + std::to_string(max_size));
  }
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return util::Status::InvalidArgument(std::string(what) + ": malformed protobuf (" +
                                         std::to_string(bytes.size()) + " bytes)");
  }
  message->DiscardUnknownFields();
  return util::Status::Ok();
}

}  // namespace depin::wire
