// MIME message → Document through GMime: decode transfer encodings and
// charsets, prefer the HTML alternative, keep forwarded messages' bodies.

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <vector>

#include <gmime/gmime.h>

#include "parsers/document.hpp"
#include "parsers/mail_text.hpp"

namespace cqcwatch {

namespace {

constexpr int k_max_mime_depth = 16;
constexpr std::size_t k_max_nested_parts = 200;
constexpr std::size_t k_max_message_bytes = 64U * 1024U * 1024U;

/// One decoded text body.
struct Body {
    bool html = false;
    std::string text;
};

/// Owns a GObject reference.
template <typename T>
struct GPtr {
    T* p = nullptr;
    explicit GPtr(T* ptr) : p(ptr) {}
    ~GPtr() {
        if (p != nullptr) {
            g_object_unref(p);
        }
    }
    GPtr(const GPtr&) = delete;
    GPtr& operator=(const GPtr&) = delete;
};

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

std::string owned(char* s) {
    if (s == nullptr) {
        return {};
    }
    std::string out(s);
    g_free(s);
    return out;
}

std::string str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

/// GMime's parser recurses once per nested multipart; refuse absurd nesting before it starts.
std::size_t count_nested_parts(std::string_view message) {
    std::size_t n = 0;
    const auto is = [&](std::size_t i, std::string_view word) {
        if (i + word.size() > message.size()) {
            return false;
        }
        for (std::size_t k = 0; k < word.size(); ++k) {
            if (std::tolower(static_cast<unsigned char>(message[i + k])) != word[k]) {
                return false;
            }
        }
        return true;
    };
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(message[i])));
        if ((c == 'm' && (is(i, "multipart/") || is(i, "message/"))) && ++n > k_max_nested_parts) {
            break;
        }
    }
    return n;
}

bool is_text(GMimeObject* obj, const char* subtype) {
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    return ct != nullptr && g_mime_content_type_is_type(ct, "text", subtype);
}

/// "Content-Type: text" with no subtype is plain text to every client; GMime reads it as application/octet-stream.
void repair_subtypeless_text(GMimeObject* obj) {
    const std::string raw = ascii_lower(str(g_mime_object_get_header(obj, "Content-Type")));
    const auto start = raw.find_first_not_of(" \t");
    if (start == std::string::npos || raw.compare(start, 4, "text") != 0) return;
    const std::size_t after = start + 4;
    if (after < raw.size() && raw[after] != ';' && raw[after] != ' ' && raw[after] != '\t') return;
    const std::string fixed = "text/plain" + str(g_mime_object_get_header(obj, "Content-Type")).substr(after);
    GPtr<GMimeContentType> ct(g_mime_content_type_parse(nullptr, fixed.c_str()));
    if (ct.p != nullptr) g_mime_object_set_content_type(obj, ct.p);
}

/// How good an alternative is: HTML anywhere inside beats plain text beats nothing.
int alternative_rank(GMimeObject* obj, int depth) {
    if (depth > k_max_mime_depth) {
        return 0;
    }
    if (GMIME_IS_TEXT_PART(obj)) {
        repair_subtypeless_text(obj);
        return is_text(obj, "html") ? 2 : is_text(obj, "plain") ? 1 : 0;
    }
    int best = 0;
    if (GMIME_IS_MULTIPART(obj)) {
        auto* mp = GMIME_MULTIPART(obj);
        for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
            best = std::max(best, alternative_rank(g_mime_multipart_get_part(mp, i), depth + 1));
        }
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
    if (obj == nullptr || depth > k_max_mime_depth) {
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        // A forwarded release: its body counts as much as the covering note.
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner != nullptr) {
            collect(g_mime_message_get_mime_part(inner), depth + 1);
        }
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
    for (int i = 0; i < count; ++i) {
        collect(g_mime_multipart_get_part(mp, i), depth + 1);
    }
}

void BodyCollector::text_part(GMimeObject* obj) {
    repair_subtypeless_text(obj);
    const bool html = is_text(obj, "html");
    if (!html && !is_text(obj, "plain")) {
        return;
    }
    // Mail labelled Latin-1 is Windows-1252 in practice (curly quotes at 0x91-0x94), as mail clients assume.
    const std::string charset = str(g_mime_object_get_content_type_parameter(obj, "charset"));
    if (g_ascii_strcasecmp(charset.c_str(), "iso-8859-1") == 0 || g_ascii_strcasecmp(charset.c_str(), "latin1") == 0) {
        g_mime_object_set_content_type_parameter(obj, "charset", "windows-1252");
    }
    Body body{html, owned(g_mime_text_part_get_text(GMIME_TEXT_PART(obj)))};
    GMimeContentDisposition* disp = g_mime_object_get_content_disposition(obj);
    const bool attachment = disp != nullptr && g_mime_content_disposition_is_attachment(disp);
    (attachment ? m_attached : m_inline).push_back(std::move(body));
}

EmailMeta read_meta(GMimeMessage* msg) {
    EmailMeta meta;
    meta.subject = normalise_text(str(g_mime_message_get_subject(msg)));
    meta.date = normalise_text(str(g_mime_object_get_header(GMIME_OBJECT(msg), "Date")));
    meta.message_id = str(g_mime_message_get_message_id(msg));
    if (InternetAddressList* from = g_mime_message_get_from(msg); from != nullptr) {
        meta.from = owned(internet_address_list_to_string(from, nullptr, FALSE));
    }
    if (GDateTime* date = g_mime_message_get_date(msg); date != nullptr) {
        meta.date_parsed = Date{g_date_time_get_year(date), static_cast<unsigned>(g_date_time_get_month(date)),
                                static_cast<unsigned>(g_date_time_get_day_of_month(date))};
    }
    return meta;
}

void append(Document& doc, Document part) {
    if (doc.title.empty()) {
        doc.title = part.title;
    }
    std::move(part.blocks.begin(), part.blocks.end(), std::back_inserter(doc.blocks));
    std::move(part.links.begin(), part.links.end(), std::back_inserter(doc.links));
    std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(doc.warnings));
}

Document bodies_to_document(std::vector<Body> bodies, std::string_view base_url) {
    Document doc;
    for (auto& body : bodies) {
        if (!body.html) {
            append(doc, plain_mail_to_document(body.text));
        } else if (auto html = html_to_document(html_declared_utf8(body.text), base_url)) {
            append(doc, std::move(*html));
        } else if (body.text.find_first_not_of(" \t\r\n") != std::string::npos) {
            doc.warnings.push_back("HTML part skipped: " + html.error().message);
        }
    }
    if (bodies.empty()) {
        doc.warnings.push_back("no text/plain or text/html part in the message");
    }
    return doc;
}

std::optional<ParseError> check_message(std::string_view message) {
    if (message.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return ParseError{"empty document"};
    }
    if (message.size() > k_max_message_bytes) {
        return ParseError{"message too large: " + std::to_string(message.size()) + " bytes (limit " +
                          std::to_string(k_max_message_bytes) + ")"};
    }
    if (count_nested_parts(message) > k_max_nested_parts) {
        return ParseError{"not a usable MIME message: more than " + std::to_string(k_max_nested_parts) +
                          " multipart/message parts"};
    }
    return std::nullopt;
}

}  // namespace

tl::expected<std::pair<Document, EmailMeta>, ParseError> email_to_document_with_meta(std::string_view raw,
                                                                                     std::string_view base_url) {
    if (auto bad = check_message(raw)) {
        return tl::make_unexpected(std::move(*bad));
    }
    const std::string repaired = with_header_end(without_mbox_from(raw));
    const std::string_view message = repaired;
    init_gmime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
    GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
    if (msg.p == nullptr) {
        return tl::make_unexpected(ParseError{"not a MIME message: expected RFC 5322 headers, found none"});
    }
    EmailMeta meta = read_meta(msg.p);
    BodyCollector collector;
    collector.collect(g_mime_message_get_mime_part(msg.p), 0);
    Document doc = bodies_to_document(collector.take(), base_url);
    if (!meta.subject.empty()) {
        doc.title = meta.subject;
    }
    return std::make_pair(std::move(doc), std::move(meta));
}

tl::expected<Document, ParseError> email_to_document(std::string_view message, std::string_view base_url) {
    return email_to_document_with_meta(message, base_url).map([](auto&& pair) { return std::move(pair.first); });
}

}  // namespace cqcwatch
