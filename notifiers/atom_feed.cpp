#include "notifiers/atom_feed.hpp"

#include "notifiers/render.hpp"

namespace cqcwatch {

namespace {

// XML 1.0 allows no C0 control but tab, LF and CR, even escaped: a stray one in a
// page's text would make the whole feed unreadable, so it is dropped.
std::string xml_text(std::string_view s) {
    std::string kept;
    kept.reserve(s.size());
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') kept += c;
    return html_escape(kept);
}

void entry(std::string& out, const Event& e, const AtomFeedInfo& info) {
    out += "<entry>\n<id>" + xml_text(atom_entry_id(e.id)) + "</id>\n";
    out += "<title type=\"text\">" + xml_text(render_summary(e)) + "</title>\n";
    out += "<updated>" + xml_text(e.occurred_at) + "</updated>\n";
    out += "<category term=\"" + xml_text(e.type) + "\" scheme=\"urn:cqcwatch:event-type\"/>\n";
    auto link = render_link(e);
    if (link.empty()) link = info.listing_url;
    if (!link.empty())
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(link) + "\"/>\n";
    out += "<content type=\"html\">" + xml_text(render_html_fragment(e)) + "</content>\n</entry>\n";
}

}  // namespace

std::string atom_entry_id(std::string_view event_id) { return "urn:cqcwatch:event:" + std::string(event_id); }

std::string render_atom_feed(const std::vector<Event>& events, const AtomFeedInfo& info) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<id>urn:cqcwatch:feed</id>\n";
    out += "<title type=\"text\">cqcwatch: CQC local authority assessments</title>\n";
    out +=
        "<subtitle type=\"text\">Councils' adult social care assessments, embargoes and the watcher's "
        "notices; embargoed figures appear at the lift, never before.</subtitle>\n";
    out += "<updated>" + xml_text(events.empty() ? info.now : events.front().occurred_at) + "</updated>\n";
    out += "<author><name>cqcwatch</name></author>\n<generator>cqcwatch</generator>\n";
    if (!info.self_url.empty())
        out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_text(info.self_url) + "\"/>\n";
    for (const auto& e : events) entry(out, e, info);
    out += "</feed>\n";
    return out;
}

}  // namespace cqcwatch
