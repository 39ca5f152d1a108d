#pragma once
// Events as an Atom feed (RFC 4287) for feed readers: one entry per event, its
// id the event id as a URN, its title the one-line summary, its link the
// report (else the press release, else the source, else the listing where CQC
// publishes the reports: an emailed release has no address of its own, and a
// feed reader needs an http(s) link to open, which a urn: is not), its content the same
// facts and scores as the email. Pure: the caller picks the events (the store's
// feed_events() leaves out whatever is embargoed) and says what time it is.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace cqcwatch {

/// Entries a feed carries by default (`cqcwatch feed` and the daemon's /feed.atom).
inline constexpr std::size_t k_atom_feed_entries = 50;

/// CQC's listing of local authority assessment reports (the default config's listing source).
inline constexpr const char* k_cqc_listing_url = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";

/// What the feed says about itself.
struct AtomFeedInfo {
    std::string self_url;  ///< the feed's own address (rel="self"); empty = no self link
    std::string now;       ///< RFC 3339 UTC: the feed's <updated> when it has no entries
    /// The link of an entry whose event has no report, press release or source address (a release that
    /// came by email, before the lift): the listing its report will appear on. Empty = no link.
    std::string listing_url = k_cqc_listing_url;
};

/// "urn:cqcwatch:event:evt_…": an event id as the entry's permanent, unique IRI.
std::string atom_entry_id(std::string_view event_id);
/// The whole feed document, newest entry first as given.
std::string render_atom_feed(const std::vector<Event>& events, const AtomFeedInfo& info);

}  // namespace cqcwatch
