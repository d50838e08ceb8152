// The protobuf wire format, as far as reading and re-writing ONNX files needs it (no
// generated code, no libprotobuf): fields are read one at a time, each keeping its raw bytes
// so a rewriter can copy the fields it does not change verbatim. Internal to huabu_engine.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace huabu::engine {

using Bytes = std::span<const std::uint8_t>;

// One protobuf field: its number, wire type, either a varint or a length-delimited body, and
// the whole field as it was encoded (key included).
struct Field {
  std::uint32_t number = 0;
  int wire = 0;
  std::uint64_t varint = 0;
  Bytes body;
  Bytes raw;
};

class Reader {
 public:
  explicit Reader(Bytes b) : b_(b) {}
  [[nodiscard]] bool done() const { return pos_ == b_.size(); }

  // False on truncated or malformed input (the caller turns that into corrupt_data).
  bool next(Field& f) {
    const std::size_t start = pos_;
    if (!read(f)) return false;
    f.raw = b_.subspan(start, pos_ - start);
    return true;
  }

 private:
  bool read(Field& f) {
    std::uint64_t key = 0;
    if (!varint(key)) return false;
    f.number = static_cast<std::uint32_t>(key >> 3);
    f.wire = static_cast<int>(key & 7);
    f.body = {};
    if (f.number == 0) return false;
    switch (f.wire) {
      case 0: return varint(f.varint);
      case 1: return skip(8);
      case 5: return skip(4);
      case 2: {
        std::uint64_t len = 0;
        if (!varint(len) || len > b_.size() - pos_) return false;
        f.body = b_.subspan(pos_, static_cast<std::size_t>(len));
        pos_ += static_cast<std::size_t>(len);
        return true;
      }
      default: return false;  // groups (3, 4) are not used by ONNX
    }
  }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return false;
      const std::uint8_t byte = b_[pos_++];
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool skip(std::size_t n) {
    if (n > b_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  Bytes b_;
  std::size_t pos_ = 0;
};

// Calls `on` for every field of the message; false if the message is malformed.
inline bool for_each_field(Bytes message, const std::function<bool(const Field&)>& on) {
  Reader r(message);
  Field f;
  while (!r.done()) {
    if (!r.next(f) || !on(f)) return false;
  }
  return true;
}

// Writers: append one field to `out`.
inline void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put_varint_field(std::vector<std::uint8_t>& out, std::uint32_t number, std::uint64_t v) {
  put_varint(out, (std::uint64_t{number} << 3) | 0);
  put_varint(out, v);
}
inline void put_bytes_field(std::vector<std::uint8_t>& out, std::uint32_t number, Bytes body) {
  put_varint(out, (std::uint64_t{number} << 3) | 2);
  put_varint(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}
inline void put_raw(std::vector<std::uint8_t>& out, Bytes raw) { out.insert(out.end(), raw.begin(), raw.end()); }

}  // namespace huabu::engine
