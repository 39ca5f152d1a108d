#pragma once
// Shared by the store's unit tests: a temporary directory that cleans up, and
// builders for parsed documents (as the parsers would return them).

#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.hpp"

namespace store_test {

/// A fresh directory under $TMPDIR, removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-store-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline cqcwatch::AuthorityRef walsall() { return {"Walsall", "E08000030", "Walsall Council"}; }
inline cqcwatch::AuthorityRef birmingham() { return {"Birmingham", "E08000025", "Birmingham City Council"}; }

inline constexpr const char* k_walsall_report =
    "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall-council";

/// A report page for `who` with the given scores (rating from the band).
inline cqcwatch::ParseResult report(const cqcwatch::AuthorityRef& who, std::string url, std::array<int, 9> scores,
                                    cqcwatch::Rating rating, std::string published) {
    cqcwatch::ParseResult r;
    r.kind = cqcwatch::DocKind::report;
    r.url = std::move(url);
    r.title = "Assessment of " + who.name;
    r.authority = who;
    cqcwatch::Assessment a;
    a.rating = rating;
    for (std::size_t i = 0; i < 9; ++i) a.scores[i] = scores[i];
    r.assessment = a;
    r.published = cqcwatch::parse_iso_date(published);
    return r;
}

/// A press release (web page when url is set, else an email copy).
inline cqcwatch::ParseResult press_release(const cqcwatch::AuthorityRef& who, std::string url,
                                           std::optional<cqcwatch::Embargo> embargo, std::string published) {
    cqcwatch::ParseResult r;
    r.kind = url.empty() ? cqcwatch::DocKind::email : cqcwatch::DocKind::press_release;
    r.url = std::move(url);
    r.title = who.name + " rated requires improvement";
    r.authority = who;
    cqcwatch::Assessment a;
    a.rating = cqcwatch::Rating::requires_improvement;
    a.stated_percentage = 53;
    int s[9] = {2, 2, 2, 2, 2, 2, 2, 2, 3};
    for (std::size_t i = 0; i < 9; ++i) a.scores[i] = s[i];
    r.assessment = a;
    r.embargo = std::move(embargo);
    r.published = cqcwatch::parse_iso_date(published);
    return r;
}

/// An embargo lifting at `until_unix`.
inline cqcwatch::Embargo embargo_at(std::int64_t until_unix, bool resolved = true) {
    cqcwatch::Embargo e;
    e.until_unix = until_unix;
    e.until_utc = cqcwatch::rfc3339(cqcwatch::TimePoint(std::chrono::seconds(until_unix)));
    e.until_uk = e.until_utc + " (UK)";
    e.line = "Embargoed until 00.01hrs on Friday 23 January";
    e.resolved = resolved;
    return e;
}

/// The types of some events, in order.
inline std::vector<std::string> types(const std::vector<cqcwatch::Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.type);
    return out;
}

/// An instant as unix seconds.
inline cqcwatch::TimePoint at(std::int64_t unix_seconds) {
    return cqcwatch::TimePoint(std::chrono::seconds(unix_seconds));
}

/// A context routing every event to the given notifiers.
inline cqcwatch::RecordContext ctx_at(std::int64_t unix_seconds, std::vector<std::string> notifiers = {"hook"}) {
    cqcwatch::RecordContext c;
    c.now = at(unix_seconds);
    c.source = "test";
    c.route = [notifiers](const cqcwatch::Event&) { return notifiers; };
    return c;
}

}  // namespace store_test
