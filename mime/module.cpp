// cqcwatch-mime.so: every use of GMime (and so of GLib, GObject and GIO) in cqcwatch.
// Loaded by parsers/mime_module.cpp on the first message read or written; see there.
// Reading: decode transfer encodings and charsets, prefer the HTML alternative, keep
// forwarded messages' bodies. Addresses: GMime's RFC 5322 parser and encoder.

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <gmime/gmime.h>

#include "parsers/mime_module.hpp"

namespace cqcwatch::mime {

namespace {

constexpr int k_max_mime_depth = 16;

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

/// Owns a GObject reference.
template <typename T>
struct GPtr {
    T* p = nullptr;
    explicit GPtr(T* ptr) : p(ptr) {}
    ~GPtr() {
        if (p != nullptr) g_object_unref(p);
    }
    GPtr(const GPtr&) = delete;
    GPtr& operator=(const GPtr&) = delete;
};

std::string owned(char* s) {
    if (s == nullptr) return {};
    std::string out(s);
    g_free(s);
    return out;
}

std::string str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

bool is_text(GMimeObject* obj, const char* subtype) {
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    return ct != nullptr && g_mime_content_type_is_type(ct, "text", subtype);
}

/// "Content-Type: text" with no subtype is plain text to every client; GMime reads it as application/octet-stream.
void repair_subtypeless_text(GMimeObject* obj) {
    const std::string header = str(g_mime_object_get_header(obj, "Content-Type"));
    const auto start = header.find_first_not_of(" \t");
    if (start == std::string::npos || g_ascii_strncasecmp(header.c_str() + start, "text", 4) != 0) return;
    const std::size_t after = start + 4;
    if (after < header.size() && header[after] != ';' && header[after] != ' ' && header[after] != '\t') return;
    const std::string fixed = "text/plain" + header.substr(after);
    GPtr<GMimeContentType> ct(g_mime_content_type_parse(nullptr, fixed.c_str()));
    if (ct.p != nullptr) g_mime_object_set_content_type(obj, ct.p);
}

/// How good an alternative is: HTML anywhere inside beats plain text beats nothing.
int alternative_rank(GMimeObject* obj, int depth) {
    if (depth > k_max_mime_depth) return 0;
    if (GMIME_IS_TEXT_PART(obj)) {
        repair_subtypeless_text(obj);
        return is_text(obj, "html") ? 2 : is_text(obj, "plain") ? 1 : 0;
    }
    int best = 0;
    if (GMIME_IS_MULTIPART(obj)) {
        auto* mp = GMIME_MULTIPART(obj);
        for (int i = 0; i < g_mime_multipart_get_count(mp); ++i)
            best = std::max(best, alternative_rank(g_mime_multipart_get_part(mp, i), depth + 1));
    }
    return best;
}

/// Collects text bodies in reading order; attachments go to a second list, used only if no body is inline.
class BodyCollector {
public:
    void collect(GMimeObject* obj, int depth);
    std::vector<Body> take() { return m_inline.empty() ? std::move(m_attached) : std::move(m_inline); }

private:
    void text_part(GMimeObject* obj);
    void multipart(GMimeMultipart* mp, int depth);

    std::vector<Body> m_inline;
    std::vector<Body> m_attached;
};

void BodyCollector::collect(GMimeObject* obj, int depth) {
    if (obj == nullptr || depth > k_max_mime_depth) return;
    if (GMIME_IS_MESSAGE_PART(obj)) {
        // A forwarded release: its body counts as much as the covering note.
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner != nullptr) collect(g_mime_message_get_mime_part(inner), depth + 1);
    } else if (GMIME_IS_MULTIPART(obj)) {
        multipart(GMIME_MULTIPART(obj), depth);
    } else if (GMIME_IS_TEXT_PART(obj)) {
        text_part(obj);
    }
}

void BodyCollector::multipart(GMimeMultipart* mp, int depth) {
    const int count = g_mime_multipart_get_count(mp);
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
    if (ct != nullptr && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
        // The last of equally good alternatives is the sender's preference (RFC 2046).
        GMimeObject* chosen = nullptr;
        int chosen_rank = 0;
        for (int i = 0; i < count; ++i) {
            GMimeObject* part = g_mime_multipart_get_part(mp, i);
            if (const int rank = alternative_rank(part, depth + 1); rank > 0 && rank >= chosen_rank) {
                chosen = part;
                chosen_rank = rank;
            }
        }
        collect(chosen, depth + 1);
        return;
    }
    for (int i = 0; i < count; ++i) collect(g_mime_multipart_get_part(mp, i), depth + 1);
}

/// RFC 3676 format=flowed, undone: a line ending in a space continues on the next (a soft break),
/// one leading space is stuffing, quoted lines join only lines of the same depth; with delsp=yes the
/// space before a soft break was added by the sender and goes. A line "-- " (a signature) is hard.
std::string unflowed(const std::string& text, bool delsp) {
    std::string out;
    std::string paragraph;
    std::size_t paragraph_depth = 0;
    bool open = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::size_t depth = 0;
        while (depth < line.size() && line[depth] == '>') ++depth;
        std::string content = line.substr(depth);
        if (!content.empty() && content[0] == ' ') content.erase(0, 1);  // space-stuffing (or after quotes)
        if (open && depth != paragraph_depth) {
            out += std::string(paragraph_depth, '>') + (paragraph_depth ? " " : "") + paragraph + "\n";
            paragraph.clear();
            open = false;
        }
        const bool soft = !content.empty() && content.back() == ' ' && content != "-- ";
        if (soft && delsp) content.pop_back();
        paragraph += content;
        paragraph_depth = depth;
        open = soft;
        if (!soft) {
            out += std::string(depth, '>') + (depth ? " " : "") + paragraph;
            if (end < text.size()) out += "\n";
            paragraph.clear();
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    if (open) out += std::string(paragraph_depth, '>') + (paragraph_depth ? " " : "") + paragraph;
    return out;
}

void BodyCollector::text_part(GMimeObject* obj) {
    repair_subtypeless_text(obj);
    const bool html = is_text(obj, "html");
    if (!html && !is_text(obj, "plain")) return;
    // Mail labelled Latin-1 is Windows-1252 in practice (curly quotes at 0x91-0x94), as mail clients assume.
    const std::string charset = str(g_mime_object_get_content_type_parameter(obj, "charset"));
    if (g_ascii_strcasecmp(charset.c_str(), "iso-8859-1") == 0 || g_ascii_strcasecmp(charset.c_str(), "latin1") == 0)
        g_mime_object_set_content_type_parameter(obj, "charset", "windows-1252");
    Body body{html, owned(g_mime_text_part_get_text(GMIME_TEXT_PART(obj)))};
    const std::string format = str(g_mime_object_get_content_type_parameter(obj, "format"));
    if (!html && g_ascii_strcasecmp(format.c_str(), "flowed") == 0) {
        const std::string delsp = str(g_mime_object_get_content_type_parameter(obj, "delsp"));
        body.text = unflowed(body.text, g_ascii_strcasecmp(delsp.c_str(), "yes") == 0);
    }
    GMimeContentDisposition* disp = g_mime_object_get_content_disposition(obj);
    const bool attachment = disp != nullptr && g_mime_content_disposition_is_attachment(disp);
    (attachment ? m_attached : m_inline).push_back(std::move(body));
}

bool read_message(std::string_view message, Message& out) {
    init_gmime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
    GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
    if (msg.p == nullptr) return false;
    out.subject = str(g_mime_message_get_subject(msg.p));
    out.date = str(g_mime_object_get_header(GMIME_OBJECT(msg.p), "Date"));
    out.message_id = str(g_mime_message_get_message_id(msg.p));
    if (InternetAddressList* from = g_mime_message_get_from(msg.p); from != nullptr)
        out.from = owned(internet_address_list_to_string(from, nullptr, FALSE));
    if (GDateTime* date = g_mime_message_get_date(msg.p); date != nullptr) {
        out.has_date = true;
        out.year = g_date_time_get_year(date);
        out.month = static_cast<unsigned>(g_date_time_get_month(date));
        out.day = static_cast<unsigned>(g_date_time_get_day_of_month(date));
    }
    BodyCollector collector;
    collector.collect(g_mime_message_get_mime_part(msg.p), 0);
    out.bodies = collector.take();
    return true;
}

bool parse_addresses(std::string_view text, std::vector<Address>& out) {
    init_gmime();
    GPtr<InternetAddressList> list(internet_address_list_parse(nullptr, std::string(text).c_str()));
    if (list.p == nullptr || internet_address_list_length(list.p) == 0) return false;
    for (int i = 0; i < internet_address_list_length(list.p); ++i) {
        InternetAddress* a = internet_address_list_get_address(list.p, i);
        Address entry;
        entry.name = str(internet_address_get_name(a));
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            entry.address = str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
        else
            entry.group = true;
        out.push_back(std::move(entry));
    }
    return true;
}

std::string encode_address_header(std::string_view header_name, const std::vector<std::string>& mailboxes) {
    init_gmime();
    GPtr<InternetAddressList> all(internet_address_list_new());
    for (const auto& text : mailboxes) {
        GPtr<InternetAddressList> one(internet_address_list_parse(nullptr, text.c_str()));
        if (one.p != nullptr) internet_address_list_append(all.p, one.p);
    }
    GString* folded = g_string_new(nullptr);
    g_string_append_len(folded, header_name.data(), static_cast<gssize>(header_name.size()));
    g_string_append(folded, ": ");
    internet_address_list_encode(all.p, nullptr, folded);
    std::string value(folded->str + header_name.size() + 2, folded->len - header_name.size() - 2);
    g_string_free(folded, TRUE);
    return value;
}

const Api k_api{k_abi, CQCWATCH_VERSION, &read_message, &parse_addresses, &encode_address_header};

}  // namespace

}  // namespace cqcwatch::mime

extern "C" __attribute__((visibility("default"))) const cqcwatch::mime::Api* cqcwatch_mime_api() {
    return &cqcwatch::mime::k_api;
}
