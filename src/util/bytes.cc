#include "util/bytes.h"

#include <string>

namespace depin::util {

Status ByteReader::Truncated(size_t wanted) const {
  return Status::InvalidArgument("truncated: need " + std::to_string(wanted) + " bytes at offset " +
                                 std::to_string(pos_) + ", have " + std::to_string(remaining()));
}

}  // namespace depin::util
