#pragma once
// Builds the RFC 5322 / MIME message an email notifier sends: pure, so a test
// can parse it back. CRLF line endings, no line over 998 octets, UTF-8 bodies
// quoted-printable, a non-ASCII Subject encoded per RFC 2047. Dot-stuffing is
// left to libcurl, which does it while sending SMTP DATA.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace cqcwatch {

/// What goes into one message.
struct MailMessage {
    std::string from;  ///< "cqcwatch@example.org" or "Name <addr>"
    std::vector<std::string> to;
    std::string subject;                     ///< UTF-8
    std::string date;                        ///< RFC 5322 date ("Fri, 23 Jan 2026 00:01:00 +0000")
    std::string message_id;                  ///< "<evt_…@example.org>"
    std::vector<std::string> extra_headers;  ///< "Name: value", ASCII
    std::string text;                        ///< UTF-8, "\n" line ends
    std::string html;                        ///< UTF-8, "\n" line ends; empty = a text-only message
};

/// The whole message, CRLF line ends, ready for SMTP DATA.
std::string build_mime_message(const MailMessage& m);
/// The message for an event: summary as subject, rendered text and HTML parts, Message-ID in the From domain.
MailMessage mail_for_event(const Event& event, const std::string& from, const std::vector<std::string>& to);

/// "Fri, 23 Jan 2026 00:01:00 +0000" for an RFC 3339 UTC instant; "" if unparsable.
std::string rfc5322_date(std::string_view rfc3339_utc);
/// The same for seconds since the epoch.
std::string rfc5322_date(std::int64_t unix_seconds);
/// "<evt_abc@example.org>": the event id and the domain with anything outside dot-atom text dropped.
std::string message_id_for(std::string_view event_id, std::string_view domain);
/// The domain of a mailbox's address ("example.org" for "Desk <desk@example.org>"), or "".
std::string address_domain(std::string_view mailbox);
/// A header's value: ASCII folded at spaces, otherwise RFC 2047 "=?UTF-8?Q?…?=" words, CRLF-SP between.
std::string encode_header_value(std::string_view name, std::string_view utf8);
/// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks at 76 columns.
std::string quoted_printable(std::string_view utf8);
/// The bare address of "Name <addr>" or "addr" (GMime's parser), "" when there is none.
std::string bare_address(std::string_view mailbox);

}  // namespace cqcwatch
