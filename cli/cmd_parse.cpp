// `cqcwatch parse`: one saved page, feed or message in, one JSON object out.
// A thin wrapper over parse_document; reads no config and touches no database.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "events/event.hpp"
#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

namespace cqcwatch {

namespace {

struct ParseArgs {
    std::string kind = "auto";
    std::string url;
    std::string reference_date;
    std::string file;
};

/// The whole file (or stdin for "-"); nullopt with errno's story when unreadable.
std::optional<std::string> read_input(const std::string& file, std::string& error) {
    if (file == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = "cannot open the file";
        return std::nullopt;
    }
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) {
        error = "cannot read the file";
        return std::nullopt;
    }
    return s.str();
}

nlohmann::json item_json(const ListingItem& item) {
    return {{"url", item.url},
            {"title", item.title},
            {"authority", authority_json(item.authority)},
            {"published", item.published ? nlohmann::json(item.published->iso()) : nlohmann::json(nullptr)}};
}

nlohmann::json embargo_json(const std::optional<Embargo>& e) {
    if (!e) return nullptr;
    return {{"until", e->until_utc.empty() ? nlohmann::json(nullptr) : nlohmann::json(e->until_utc)},
            {"until_uk", e->until_uk.empty() ? nlohmann::json(nullptr) : nlohmann::json(e->until_uk)},
            {"resolved", e->resolved},
            {"line", e->line}};
}

nlohmann::json result_json(const ParseResult& r) {
    auto date_or_null = [](const std::optional<Date>& d) {
        return d ? nlohmann::json(d->iso()) : nlohmann::json(nullptr);
    };
    nlohmann::json links = nlohmann::json::array();
    for (const auto& item : r.items) links.push_back(item_json(item));
    if (r.kind == DocKind::report)
        for (const auto& l : r.links)
            links.push_back(item_json(ListingItem{l.url, l.text, std::nullopt, std::nullopt}));
    nlohmann::json out;
    out["kind"] = to_key(r.kind);
    out["title"] = r.title;
    out["url"] = r.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.url);
    out["authority"] = authority_json(r.authority);
    out["assessment"] = r.assessment ? assessment_json(*r.assessment, r.published) : nlohmann::json(nullptr);
    out["embargo"] = embargo_json(r.embargo);
    out["published"] = date_or_null(r.published);
    out["updated"] = date_or_null(r.updated);
    out["links"] = std::move(links);
    out["next_page"] = r.next_page ? nlohmann::json(*r.next_page) : nlohmann::json(nullptr);
    out["warnings"] = r.warnings;
    return out;
}

/// Listings and feeds are worth printing even when empty; other pages must yield something.
bool extracted_something(const ParseResult& r) {
    if (r.kind == DocKind::listing || r.kind == DocKind::feed) return !r.items.empty() || !r.title.empty();
    return r.authority || r.assessment || r.embargo || r.published;
}

int run_parse(const ParseArgs& args) {
    const auto kind = doc_kind_from_key(args.kind);
    if (!kind)
        throw UsageError("parse: --kind must be listing, report, press-release, feed, email or auto, not '" +
                         args.kind + "'");
    if (!args.reference_date.empty() && !parse_iso_date(args.reference_date))
        throw UsageError("parse: --reference-date must be YYYY-MM-DD, not '" + args.reference_date + "'");
    std::string error;
    const auto bytes = read_input(args.file, error);
    auto fail = [&](const std::string& what) {
        std::cerr << "cqcwatch: parse: " << args.file << ": " << what << "\n";
        return 1;
    };
    if (!bytes) return fail(error);
    const ParseOptions options{*kind, args.url, "", args.reference_date};
    const auto parsed = parse_document(*bytes, options, Authorities::builtin());
    if (!parsed) return fail(parsed.error().message);
    if (!extracted_something(*parsed))
        return fail("nothing recognisable: no council, rating, scores, embargo, date or links");
    std::cout << result_json(*parsed).dump(2) << "\n";
    return 0;
}

}  // namespace

CommandRun setup_parse(CLI::App& sub, const GlobalOptions& /*global*/) {
    auto args = std::make_shared<ParseArgs>();
    sub.add_option("--kind", args->kind, "listing, report, press-release, feed, email or auto (default)");
    sub.add_option("--url", args->url, "The page's URL, for resolving links and telling report pages apart");
    sub.add_option("--reference-date", args->reference_date,
                   "YYYY-MM-DD that dates an embargo line when the text has no dateline");
    sub.add_option("FILE", args->file, "The saved page, feed or message ('-' reads stdin)")->required();
    return [args] { return run_parse(*args); };
}

}  // namespace cqcwatch
