#pragma once
// Parses a sent message back with GMime, an independent MIME implementation.

#include <string>
#include <vector>

#include <gmime/gmime.h>

namespace cqcwatch::test {

struct ParsedMail {
    bool ok = false;
    std::string subject;     ///< decoded UTF-8
    std::string message_id;  ///< without <>
    std::string date;
    std::vector<std::string> to;
    std::string top_type;  ///< "multipart/alternative"
    std::vector<std::string> part_types;
    std::string text;  ///< decoded text/plain, "\n" line ends
    std::string html;  ///< decoded text/html, "\n" line ends
};

inline std::string mime_type_of(GMimeObject* o) {
    char* t = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(o));
    std::string out = t ? t : "";
    g_free(t);
    return out;
}

inline std::string decoded_content(GMimePart* part) {
    GMimeStream* mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(part), mem);
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    std::string out(reinterpret_cast<const char*>(bytes->data), bytes->len);
    g_object_unref(mem);
    std::erase(out, '\r');  // compare text with "\n" line ends
    return out;
}

inline void read_parts(GMimeObject* body, ParsedMail& out) {
    out.top_type = mime_type_of(body);
    if (!GMIME_IS_MULTIPART(body)) return;
    GMimeMultipart* mp = GMIME_MULTIPART(body);
    for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
        GMimeObject* part = g_mime_multipart_get_part(mp, i);
        std::string type = mime_type_of(part);
        out.part_types.push_back(type);
        if (!GMIME_IS_PART(part)) continue;
        if (type == "text/plain") out.text = decoded_content(GMIME_PART(part));
        if (type == "text/html") out.html = decoded_content(GMIME_PART(part));
    }
}

inline ParsedMail parse_mail(const std::string& raw) {
    g_mime_init();
    ParsedMail out;
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
    if (msg) {
        out.ok = true;
        if (const char* s = g_mime_message_get_subject(msg)) out.subject = s;
        if (const char* id = g_mime_message_get_message_id(msg)) out.message_id = id;
        if (const char* d = g_mime_object_get_header(GMIME_OBJECT(msg), "Date")) out.date = d;
        InternetAddressList* to = g_mime_message_get_to(msg);
        for (int i = 0; to && i < internet_address_list_length(to); ++i) {
            InternetAddress* a = internet_address_list_get_address(to, i);
            if (INTERNET_ADDRESS_IS_MAILBOX(a))
                out.to.push_back(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
        }
        read_parts(g_mime_message_get_mime_part(msg), out);
        g_object_unref(msg);
    }
    g_object_unref(parser);
    g_object_unref(stream);
    return out;
}

/// Every line ends CRLF and none is longer than 998 octets.
inline bool crlf_and_short_lines(const std::string& raw) {
    std::size_t start = 0;
    while (start < raw.size()) {
        auto nl = raw.find('\n', start);
        if (nl == std::string::npos || nl == start || raw[nl - 1] != '\r') return false;
        if (nl - 1 - start > 998) return false;
        start = nl + 1;
    }
    return true;
}

}  // namespace cqcwatch::test
