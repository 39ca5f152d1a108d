#pragma once
// A small, known history in a real SQLite file, written through the store as
// the daemon writes it (events and change rows included), for the query
// commands' integration tests. Times are relative to the real clock, because
// the binary under test reads it: the old assessments were recorded 30 days
// ago, the recent changes (Dudley new, Kent re-rated, Cornwall withdrawn) a
// day ago.

#include <array>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "parsers/authorities.hpp"
#include "store/store.hpp"

namespace cqcwatch::test {

/// The UTC date a day ago, YYYY-MM-DD.
inline std::string yesterday_utc() {
    std::time_t when = std::time(nullptr) - 24 * 3600;
    std::tm tm{};
    ::gmtime_r(&when, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

struct KnownAssessment {
    const char* council;
    const char* slug;
    const char* published;  ///< YYYY-MM-DD, or "" for "yesterday"
    std::array<int, 9> scores;
    Rating rating;
};

inline const std::string k_report_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

/// The old history: two Walsall and two Birmingham assessments, one each for the others.
inline const std::vector<KnownAssessment>& known_history() {
    static const std::vector<KnownAssessment> k = {
        {"Walsall", "walsall-2024", "2024-02-01", {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good},
        {"Walsall", "walsall-2026", "2026-01-23", {2, 2, 2, 2, 2, 2, 2, 2, 3}, Rating::requires_improvement},
        {"Birmingham", "birmingham-2023", "2023-11-01", {1, 1, 2, 1, 1, 1, 1, 1, 1}, Rating::inadequate},
        {"Birmingham", "birmingham-2025", "2025-06-10", {2, 2, 2, 2, 2, 2, 1, 2, 2}, Rating::requires_improvement},
        {"Camden", "camden", "2024-05-01", {3, 3, 3, 3, 3, 3, 3, 3, 4}, Rating::good},
        {"Kent", "kent", "2025-02-01", {3, 2, 3, 3, 3, 3, 3, 3, 3}, Rating::good},
        {"Leeds", "leeds", "2024-09-01", {4, 4, 4, 4, 4, 4, 3, 4, 4}, Rating::outstanding},
        {"Cornwall", "cornwall", "2025-03-01", {1, 2, 1, 1, 1, 2, 1, 1, 1}, Rating::inadequate},
    };
    return k;
}

/// Kent's report as re-published yesterday: good → requires improvement.
inline KnownAssessment kent_rerated() {
    return {"Kent", "kent", "2025-02-01", {2, 2, 2, 3, 3, 3, 2, 2, 3}, Rating::requires_improvement};
}
/// Dudley, new yesterday.
inline KnownAssessment dudley_new() { return {"Dudley", "dudley", "", {2, 3, 3, 3, 3, 2, 3, 3, 3}, Rating::good}; }

inline ParseResult known_report(const KnownAssessment& k, const std::string& yesterday) {
    ParseResult r;
    r.kind = DocKind::report;
    r.url = k_report_base + k.slug;
    r.title = std::string("Assessment of ") + k.council;
    r.authority = Authorities::builtin().resolve(k.council);
    Assessment a;
    a.rating = k.rating;
    for (std::size_t i = 0; i < 9; ++i) a.scores[i] = k.scores[i];
    a.report_url = r.url;
    r.assessment = a;
    r.published = parse_iso_date(*k.published ? std::string(k.published) : yesterday);
    return r;
}

/// Writes the known history into `db` (created); `yesterday` is the UK date a day ago.
inline void write_known_history(const std::string& db, const std::string& yesterday) {
    using namespace std::chrono;
    Store store = Store::open_or_throw(db, StoreMode::read_write);
    RecordContext old_ctx{system_clock::now() - hours(24 * 30), "cqc-reports", false, {}, std::nullopt};
    std::vector<std::string> listed;
    for (const auto& k : known_history()) {
        store.record_document(known_report(k, yesterday), old_ctx).value();
        listed.push_back(k_report_base + k.slug);
    }
    store.note_listing(listed, old_ctx, 1).value();
    RecordContext recent{system_clock::now() - hours(24), "cqc-reports", false, {}, std::nullopt};
    store.record_document(known_report(dudley_new(), yesterday), recent).value();
    store.record_document(known_report(kent_rerated(), yesterday), recent).value();
    listed.erase(std::find(listed.begin(), listed.end(), k_report_base + "cornwall"));
    listed.push_back(k_report_base + "dudley");
    store.note_listing(listed, recent, 1).value();
}

}  // namespace cqcwatch::test
