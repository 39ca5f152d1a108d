// MIME message → Document: GMime (in the cqcwatch-mime.so module, loaded on the first
// message) decodes transfer encodings and charsets, prefers the HTML alternative and keeps
// forwarded messages' bodies; the bodies are read here like any page or text.

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "parsers/document.hpp"
#include "parsers/mail_text.hpp"
#include "parsers/mime_module.hpp"

namespace cqcwatch {

namespace {

constexpr std::size_t k_max_nested_parts = 200;
constexpr std::size_t k_max_message_bytes = 64U * 1024U * 1024U;

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

void append(Document& doc, Document part) {
    if (doc.title.empty()) {
        doc.title = part.title;
    }
    std::move(part.blocks.begin(), part.blocks.end(), std::back_inserter(doc.blocks));
    std::move(part.links.begin(), part.links.end(), std::back_inserter(doc.links));
    std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(doc.warnings));
}

Document bodies_to_document(std::vector<mime::Body> bodies, std::string_view base_url) {
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
    auto module = mime::api();
    if (!module) {
        // Not the message's fault: it is kept (spool, Maildir, the MTA's queue) and read once the module is back.
        return tl::make_unexpected(ParseError{"cannot read mail: " + module.error(), true});
    }
    mime::Message read;
    if (!(*module)->read_message(message, read)) {
        return tl::make_unexpected(ParseError{"not a MIME message: expected RFC 5322 headers, found none"});
    }
    EmailMeta meta;
    meta.subject = normalise_text(read.subject);
    meta.date = normalise_text(read.date);
    meta.message_id = std::move(read.message_id);
    meta.from = std::move(read.from);
    if (read.has_date) meta.date_parsed = Date{read.year, read.month, read.day};
    Document doc = bodies_to_document(std::move(read.bodies), base_url);
    if (!meta.subject.empty()) {
        doc.title = meta.subject;
    }
    return std::make_pair(std::move(doc), std::move(meta));
}

tl::expected<Document, ParseError> email_to_document(std::string_view message, std::string_view base_url) {
    return email_to_document_with_meta(message, base_url).map([](auto&& pair) { return std::move(pair.first); });
}

}  // namespace cqcwatch
