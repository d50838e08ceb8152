#include "codec/webp_status.h"

#include "base/str_cat.h"

namespace huabu::detail {

Status status_from_vp8(VP8StatusCode code, std::string_view what) {
  switch (code) {
    case VP8_STATUS_OK: return ok_status();
    case VP8_STATUS_OUT_OF_MEMORY: return resource_exhausted(str_cat(what, ": out of memory"));
    case VP8_STATUS_INVALID_PARAM: return invalid_argument(str_cat(what, ": invalid parameter"));
    case VP8_STATUS_BITSTREAM_ERROR: return corrupt_data(str_cat(what, ": malformed WebP bitstream"));
    case VP8_STATUS_UNSUPPORTED_FEATURE: return unsupported(str_cat(what, ": unsupported WebP feature"));
    case VP8_STATUS_SUSPENDED: return internal_error(str_cat(what, ": decoder suspended"));
    case VP8_STATUS_USER_ABORT: return cancelled(str_cat(what, ": aborted"));
    case VP8_STATUS_NOT_ENOUGH_DATA: return corrupt_data(str_cat(what, ": truncated WebP data"));
  }
  return internal_error(str_cat(what, ": unknown libwebp status ", static_cast<int>(code)));
}

Status status_from_webp_encoding(WebPEncodingError code) {
  const char* what = "webp encode";
  switch (code) {
    case VP8_ENC_OK: return ok_status();
    case VP8_ENC_ERROR_OUT_OF_MEMORY:
    case VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY: return resource_exhausted(str_cat(what, ": out of memory"));
    case VP8_ENC_ERROR_NULL_PARAMETER: return internal_error(str_cat(what, ": null parameter"));
    case VP8_ENC_ERROR_INVALID_CONFIGURATION: return invalid_argument(str_cat(what, ": invalid configuration"));
    case VP8_ENC_ERROR_BAD_DIMENSION: return resource_exhausted(str_cat(what, ": dimensions over WebP's 16383"));
    case VP8_ENC_ERROR_PARTITION0_OVERFLOW:
    case VP8_ENC_ERROR_PARTITION_OVERFLOW: return resource_exhausted(str_cat(what, ": partition overflow"));
    case VP8_ENC_ERROR_BAD_WRITE: return internal_error(str_cat(what, ": write failed"));
    case VP8_ENC_ERROR_FILE_TOO_BIG: return resource_exhausted(str_cat(what, ": output over 4 GiB"));
    case VP8_ENC_ERROR_USER_ABORT: return cancelled(str_cat(what, ": aborted"));
    case VP8_ENC_ERROR_LAST: break;
  }
  return internal_error(str_cat(what, ": unknown libwebp error ", static_cast<int>(code)));
}

}  // namespace huabu::detail
