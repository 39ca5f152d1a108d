// A listing page → its report links, their dates and the next page.

#include "parsers/document.hpp"
#include "parsers/listing.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cqcwatch {

namespace {

// libstdc++'s regex recurses per character: never feed it a hostile-length URL.
constexpr std::size_t k_max_matched_url = 2048;
// How far past an item's link its date may be printed.
constexpr std::size_t k_date_lookahead_blocks = 2;

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && ascii_lower(s.substr(s.size() - suffix.size())) == suffix;
}

std::optional<unsigned> month_number(std::string_view word) {
    static constexpr std::array<std::string_view, 12> k_months = {"january",   "february", "march",    "april",
                                                                  "may",       "june",     "july",     "august",
                                                                  "september", "october",  "november", "december"};
    const std::string w = ascii_lower(word);
    if (w.size() < 3) {
        return std::nullopt;
    }
    for (unsigned i = 0; i < k_months.size(); ++i) {
        // "Oct", "Sept", "October": a prefix of at least three letters.
        if (k_months[i].substr(0, w.size()) == w) {
            return i + 1;
        }
    }
    return std::nullopt;
}

std::optional<int> number(std::string_view word, std::size_t min_digits, std::size_t max_digits) {
    std::size_t n = 0;
    while (n < word.size() && std::isdigit(static_cast<unsigned char>(word[n])) != 0) {
        ++n;
    }
    const std::string_view rest = word.substr(n);
    if (n < min_digits || n > max_digits ||
        !(rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th")) {
        return std::nullopt;
    }
    return std::stoi(std::string(word.substr(0, n)));
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    const auto is_sep = [](char c) { return c == ' ' || c == ',' || c == ':' || c == '\t' || c == '\n' || c == '.'; };
    while (i < text.size()) {
        while (i < text.size() && is_sep(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_sep(text[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(text.substr(start, i - start));
        }
    }
    return out;
}

std::optional<Date> first_date(std::string_view text) {
    const auto w = words(text);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (auto iso = parse_iso_date(w[i])) {
            return iso;
        }
        if (i + 2 >= w.size()) {
            continue;
        }
        const auto day = number(w[i], 1, 2);
        const auto month = month_number(w[i + 1]);
        const auto year = number(w[i + 2], 4, 4);
        if (day && month && year && w[i + 2].size() == 4) {
            char iso[16];
            std::snprintf(iso, sizeof iso, "%04d-%02u-%02d", *year, *month, *day);
            if (auto d = parse_iso_date(iso)) {
                return d;
            }
        }
    }
    return std::nullopt;
}

std::optional<int> page_param(std::string_view url) {
    const auto q = url.find('?');
    if (q == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.rfind("page=", 0) == 0) {
            if (auto n = number(pair.substr(5), 1, 6); n && pair.size() - 5 <= 6) {
                return n;
            }
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return std::nullopt;
}

std::string_view path_of(std::string_view url) { return url.substr(0, url.find_first_of("?#")); }

bool reads_next(std::string_view text) {
    std::string t = ascii_lower(text);
    for (std::string_view mark : {"\xE2\x80\xBA", "\xC2\xBB", "\xE2\x86\x92", ">", " "}) {  // › » →
        for (auto pos = t.find(mark); pos != std::string::npos; pos = t.find(mark)) {
            t.erase(pos, mark.size());
        }
    }
    // A bare arrow is the next link too.
    return t.empty() ? !text.empty() : t == "next" || t == "nextpage" || t == "older" || t == "olderposts";
}

/// rel=next, then a "Next"/"›" link, then ?page=N+1 on the same path.
std::optional<Link> find_next_page(const Document& doc, std::string_view page_url) {
    const auto usable = [&](const Link& l) { return !l.url.empty() && l.url != page_url; };
    for (const auto& l : doc.links) {
        if (usable(l) && (" " + l.rel + " ").find(" next ") != std::string::npos) {
            return l;
        }
    }
    for (const auto& l : doc.links) {
        if (usable(l) && reads_next(l.text)) {
            return l;
        }
    }
    const auto current = page_param(page_url);
    std::optional<Link> best;
    for (const auto& l : doc.links) {
        const auto page = page_param(l.url);
        if (!usable(l) || !page || path_of(l.url) != path_of(page_url)) {
            continue;
        }
        // With no ?page= we are on the first page, whether the site counts from 0 or 1.
        const bool candidate = current ? *page == *current + 1 : *page >= 1;
        if (candidate && (!best || *page < *page_param(best->url))) {
            best = l;
        }
    }
    return best;
}

/// Where each matching link sits: its block, or none for links outside every block.
struct Hit {
    const Link* link;
    std::optional<std::size_t> block;
};

std::vector<Hit> matching_links(const Document& doc, const std::regex& re) {
    std::vector<Hit> hits;
    std::unordered_set<std::string_view> seen;
    const auto matches = [&](const Link& l) {
        return l.url.size() <= k_max_matched_url && std::regex_search(l.url, re);
    };
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        for (const auto& l : doc.blocks[b].links) {
            if (matches(l)) {
                hits.push_back(Hit{&l, b});
                seen.insert(l.url);
            }
        }
    }
    for (const auto& l : doc.links) {
        if (!seen.count(l.url) && matches(l)) {
            hits.push_back(Hit{&l, std::nullopt});
            seen.insert(l.url);
        }
    }
    return hits;
}

/// Which item links each block holds: enough to tell "another item starts here" in O(1).
struct BlockItems {
    const std::string* first = nullptr;
    bool several = false;
};

std::unordered_map<std::size_t, BlockItems> items_by_block(const std::vector<Hit>& hits) {
    std::unordered_map<std::size_t, BlockItems> out;
    for (const auto& h : hits) {
        if (!h.block) {
            continue;
        }
        BlockItems& bi = out[*h.block];
        if (bi.first == nullptr) {
            bi.first = &h.link->url;
        } else if (*bi.first != h.link->url) {
            bi.several = true;
        }
    }
    return out;
}

/// The date in the link's block or the next blocks, stopping at another item's link.
std::optional<Date> date_near(const Document& doc, const Hit& hit,
                              const std::unordered_map<std::size_t, BlockItems>& by_block) {
    if (!hit.block) {
        return std::nullopt;
    }
    const auto other_item_in = [&](std::size_t b) {
        const auto it = by_block.find(b);
        return it != by_block.end() && (it->second.several || *it->second.first != hit.link->url);
    };
    const std::size_t last = std::min(doc.blocks.size() - 1, *hit.block + k_date_lookahead_blocks);
    for (std::size_t b = *hit.block; b <= last; ++b) {
        if (b != *hit.block && other_item_in(b)) {
            break;
        }
        if (auto d = find_published_date(doc.blocks[b].text)) {
            return d;
        }
    }
    return std::nullopt;
}

std::vector<ListingItem> items_from(const Document& doc, const std::vector<Hit>& hits) {
    std::vector<ListingItem> items;
    std::unordered_map<std::string, std::size_t> index;
    const auto by_block = items_by_block(hits);
    for (const auto& hit : hits) {
        auto [it, fresh] = index.try_emplace(hit.link->url, items.size());
        if (fresh) {
            items.push_back(ListingItem{hit.link->url, listing_title(hit.link->text), std::nullopt, std::nullopt});
        }
        ListingItem& item = items[it->second];
        if (item.title.empty()) {
            item.title = listing_title(hit.link->text);
        }
        if (!item.published) {
            item.published = date_near(doc, hit, by_block);
        }
    }
    return items;
}

}  // namespace

std::optional<Date> find_published_date(std::string_view text) {
    const std::string l = ascii_lower(text);
    if (const auto pos = l.find("published"); pos != std::string::npos) {
        if (auto d = first_date(text.substr(pos))) {
            return d;
        }
    }
    return first_date(text);
}

std::string listing_title(std::string_view link_text) {
    std::string_view t = link_text;
    for (std::string_view suffix : {": local authority assessment", " local authority assessment", " assessment"}) {
        if (ends_with_ci(t, suffix) && t.size() > suffix.size()) {
            t = t.substr(0, t.size() - suffix.size());
            break;
        }
    }
    while (!t.empty() && (t.back() == ' ' || t.back() == ':')) {
        t.remove_suffix(1);
    }
    return std::string(t);
}

ParseResult extract_listing(const Document& doc, std::string_view page_url, std::string_view link_pattern) {
    ParseResult r;
    r.kind = DocKind::listing;
    r.title = doc.title;
    r.url = std::string(page_url);
    r.warnings = doc.warnings;
    std::regex re;
    try {
        re = std::regex(link_pattern.begin(), link_pattern.end(), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        r.warnings.push_back("invalid link pattern '" + std::string(link_pattern) + "': " + e.what());
        return r;
    }
    r.items = items_from(doc, matching_links(doc, re));
    if (r.items.empty()) {
        r.warnings.push_back("no links matched " + std::string(link_pattern));
    }
    if (auto next = find_next_page(doc, page_url)) {
        r.next_page = next->url;
        r.links.push_back(Link{next->url, next->text, "next"});
    }
    return r;
}

}  // namespace cqcwatch
