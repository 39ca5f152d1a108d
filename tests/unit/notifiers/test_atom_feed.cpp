// The Atom document for events: ids as URNs, titles naming the council, the
// report link, escaped content, and nothing an XML reader would refuse.

#include <catch2/catch.hpp>

#include "notifiers/atom_feed.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;

namespace {

std::size_t count_of(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("atom feed: one entry per event with its id, title, time, type, report link and content", "[atom]") {
    Event e = test::walsall_event();
    auto xml = render_atom_feed({e}, {"http://127.0.0.1:9464/feed.atom", "2026-02-01T00:00:00Z"});
    CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", 0) ==
          0);
    CHECK(count_of(xml, "<entry>") == 1);
    CHECK(xml.find("<id>urn:cqcwatch:event:" + e.id + "</id>") != std::string::npos);
    CHECK(xml.find("<updated>" + e.occurred_at + "</updated>") != std::string::npos);
    CHECK(xml.find("<category term=\"" + e.type + "\"") != std::string::npos);
    CHECK(xml.find("<title type=\"text\">CQC: Walsall") != std::string::npos);
    std::string report = e.body["assessment"]["report_url"].get<std::string>();
    CHECK(xml.find("<link rel=\"alternate\" type=\"text/html\" href=\"" + report + "\"/>") != std::string::npos);
    CHECK(xml.find("<link rel=\"self\" type=\"application/atom+xml\" href=\"http://127.0.0.1:9464/feed.atom\"/>") !=
          std::string::npos);
    // The content is HTML carried as escaped text: no raw tag inside <content>.
    auto content = xml.substr(xml.find("<content type=\"html\">"));
    content = content.substr(0, content.find("</content>"));
    CHECK(content.find("&lt;dl&gt;") != std::string::npos);
    CHECK(content.find("<dl>") == std::string::npos);
    // The feed's own time is its newest entry's.
    CHECK(xml.find("</generator>\n<link") != std::string::npos);
    CHECK(xml.find("<updated>" + e.occurred_at + "</updated>\n<author>") != std::string::npos);
}

TEST_CASE("atom feed: an empty feed is dated now - markup and control characters in event text are harmless", "[atom]") {
    CHECK(render_atom_feed({}, {"", "2026-02-01T00:00:00Z"}).find("<updated>2026-02-01T00:00:00Z</updated>") !=
          std::string::npos);
    Event e = test::walsall_event();
    e.body["authority"]["name"] = "Walsall <b>&</b>\x0c";
    auto xml = render_atom_feed({e}, {"", "2026-02-01T00:00:00Z"});
    CHECK(xml.find("Walsall &lt;b&gt;&amp;&lt;/b&gt;") != std::string::npos);
    CHECK(xml.find('\x0c') == std::string::npos);
    CHECK(xml.find("<b>") == std::string::npos);
    CHECK(xml.find("rel=\"self\"") == std::string::npos);
}

TEST_CASE("atom feed: an event with no address of its own links the listing its report will appear on", "[atom]") {
    Event e = test::walsall_event();
    e.type = "embargo.scheduled";
    e.body["assessment"] = nullptr;  // an emailed release before the lift: no report, press release or source
    e.body.erase("source");
    e.body["embargo"] = {{"until", "2026-02-03T00:01:00Z"}, {"press_release_url", nullptr}};
    AtomFeedInfo info{"", "2026-02-01T00:00:00Z"};
    CHECK(info.listing_url == k_cqc_listing_url);
    info.listing_url = "https://www.cqc.org.uk/listing";
    auto xml = render_atom_feed({e}, info);
    CHECK(xml.find("<link rel=\"alternate\" type=\"text/html\" href=\"https://www.cqc.org.uk/listing\"/>") !=
          std::string::npos);
    // Once the release names its press release, that is the link.
    e.body["embargo"]["press_release_url"] = "https://www.cqc.org.uk/press/walsall";
    xml = render_atom_feed({e}, info);
    CHECK(xml.find("href=\"https://www.cqc.org.uk/press/walsall\"") != std::string::npos);
    CHECK(xml.find("https://www.cqc.org.uk/listing") == std::string::npos);
    // No listing either: no link rather than one a reader cannot open.
    e.body["embargo"]["press_release_url"] = nullptr;
    info.listing_url.clear();
    CHECK(render_atom_feed({e}, info).find("rel=\"alternate\"") == std::string::npos);
}
