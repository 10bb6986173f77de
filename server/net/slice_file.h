// A read-only Beast File showing only one FileSlice of a file, so that
// http::basic_file_body<SliceFile> sends a byte range straight from disk. Included only by
// transport.cpp, natterd's one Beast translation unit.
#pragma once

#include "net/connection.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>

#include <cstdint>
#include <system_error>

namespace natter::server {

class SliceFile {
public:
    SliceFile() = default;

    // Opens the file and positions it at the slice; fails if the file is shorter than the slice.
    void openSlice(const FileSlice& slice, boost::beast::error_code& ec) {
        file_.open(slice.path.c_str(), boost::beast::file_mode::scan, ec);
        if (ec) return;
        const std::uint64_t size = file_.size(ec);
        if (!ec && (slice.offset > size || slice.length > size - slice.offset))
            ec = std::make_error_code(std::errc::invalid_argument);
        if (!ec) file_.seek(slice.offset, ec);
        if (ec) {
            boost::beast::error_code ignored;
            file_.close(ignored);
            return;
        }
        offset_ = slice.offset;
        length_ = slice.length;
    }

    // The File concept. Opening by path shows the whole file.
    void open(char const* path, boost::beast::file_mode mode, boost::beast::error_code& ec) {
        file_.open(path, mode, ec);
        offset_ = 0;
        length_ = ec ? 0 : file_.size(ec);
    }
    bool is_open() const { return file_.is_open(); }
    void close(boost::beast::error_code& ec) { file_.close(ec); }
    std::uint64_t size(boost::beast::error_code& ec) const {
        ec = {};
        return length_;
    }
    std::uint64_t pos(boost::beast::error_code& ec) const { return file_.pos(ec) - offset_; }
    void seek(std::uint64_t offset, boost::beast::error_code& ec) { file_.seek(offset_ + offset, ec); }
    // basic_file_body reads at most size() bytes, so reads never pass the end of the slice.
    std::size_t read(void* buffer, std::size_t n, boost::beast::error_code& ec) { return file_.read(buffer, n, ec); }
    std::size_t write(void const*, std::size_t, boost::beast::error_code& ec) {
        ec = std::make_error_code(std::errc::bad_file_descriptor);
        return 0;
    }

private:
    boost::beast::file file_;
    std::uint64_t offset_ = 0;
    std::uint64_t length_ = 0;
};

} // namespace natter::server
