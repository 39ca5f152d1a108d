// `cqcwatch changes`: what happened in a window, not what was loaded. A real
// SQLite file holds a first-run baseline (three days ago), news (a new
// council, a re-rating, a withdrawal and its restoring, an embargo recorded
// and lifted) and two releases the real `ingest` loaded by hand: an old one
// (history) and one with --baseline. The answers are read from the real binary.

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"
#include "support/query_history.hpp"

namespace t = cqcwatch::test;
using nlohmann::json;
using namespace std::chrono;

namespace {

using cqcwatch::RecordContext;
using cqcwatch::Store;
using cqcwatch::StoreMode;

cqcwatch::ParseResult embargoed_release(system_clock::time_point lift) {
    cqcwatch::ParseResult r = t::known_report({"Sandwell", "sandwell", "", {3, 3, 3, 3, 3, 3, 3, 3, 3},
                                               cqcwatch::Rating::good},
                                              t::yesterday_utc());
    r.kind = cqcwatch::DocKind::press_release;
    r.url = "https://www.cqc.org.uk/press-release/sandwell";
    r.published.reset();
    cqcwatch::Embargo e;
    e.until_unix = duration_cast<seconds>(lift.time_since_epoch()).count();
    e.until_utc = cqcwatch::rfc3339(lift);
    e.until_uk = e.until_utc;
    e.line = "Embargoed until " + e.until_utc;
    r.embargo = e;
    return r;
}

// The baseline holds every known council but Walsall; then the news of the last day.
void write_history(const std::string& db) {
    const auto now = system_clock::now();
    Store store = Store::open_or_throw(db, StoreMode::read_write);
    RecordContext baseline{now - hours(72), "cqc-reports", true, {}, std::nullopt};
    std::vector<std::string> listed;
    for (const auto& k : t::known_history()) {
        if (std::string(k.council) == "Walsall") continue;
        store.record_document(t::known_report(k, t::yesterday_utc()), baseline).value();
        listed.push_back(t::k_report_base + k.slug);
    }
    store.note_listing(listed, baseline, 1).value();
    RecordContext day{now - hours(24), "cqc-reports", false, {}, std::nullopt};
    store.record_document(t::known_report(t::dudley_new(), t::yesterday_utc()), day).value();
    store.record_document(t::known_report(t::kent_rerated(), t::yesterday_utc()), day).value();
    std::vector<std::string> without_cornwall;
    for (const auto& url : listed)
        if (url != t::k_report_base + "cornwall") without_cornwall.push_back(url);
    without_cornwall.push_back(t::k_report_base + "dudley");
    store.note_listing(without_cornwall, day, 1).value();
    RecordContext back{now - hours(10), "cqc-reports", false, {}, std::nullopt};
    without_cornwall.push_back(t::k_report_base + "cornwall");
    store.note_listing(without_cornwall, back, 1).value();
    RecordContext release{now - hours(8), "maildir", false, {}, std::nullopt};
    auto recorded = store.record_document(embargoed_release(now - hours(6)), release).value();
    REQUIRE(recorded.embargo_id);
    RecordContext lift{now - hours(6), "cqc-reports", false, {}, std::nullopt};
    REQUIRE(store.lift_embargo(*recorded.embargo_id, lift, cqcwatch::LiftKind::on_time).value());
}

struct ChangesBox {
    t::TempDir dir{"changes"};
    std::string db = dir.file("history.db");
    ChangesBox() {
        write_history(db);
        // By hand: Walsall's 2024 release (history: no alert), and a release still embargoed, --baseline.
        const auto old_lift = t::SysSeconds(sys_days(year(2024) / 2 / 1)) + minutes(1);
        t::write_file(dir.file("old.eml"), t::release_email(old_lift, t::k_report_base + "walsall-2024", "good",
                                                            {3, 3, 3, 3, 3, 3, 3, 3, 3}));
        auto old = run({"ingest", dir.file("old.eml")});
        INFO(old.err);
        REQUIRE(old.code == 0);
        REQUIRE(old.out.find("stored as history") != std::string::npos);
        t::write_file(dir.file("next.eml"), t::release_email(t::next_lift() + hours(48), t::k_report_base + "walsall"));
        auto next = run({"ingest", "--baseline", dir.file("next.eml")});
        INFO(next.err);
        REQUIRE(next.code == 0);
    }
    t::CommandResult run(std::vector<std::string> args) const {
        args.push_back("--database");
        args.push_back(db);
        return t::run_cqcwatch(args, dir);
    }
    json run_json(std::vector<std::string> args) const {
        args.push_back("--format");
        args.push_back("json");
        auto r = run(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        return json::parse(r.out);
    }
    std::string table(std::vector<std::string> args) const {
        auto r = run(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        return r.out;
    }
};

using Seen = std::multiset<std::pair<std::string, std::string>>;

Seen seen(const json& rows) {
    Seen out;
    for (const auto& r : rows) out.insert({r["authority"]["name"].get<std::string>(), r["kind"].get<std::string>()});
    return out;
}

std::size_t silent_count(const json& rows) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r["silent"].get<bool>() ? 1 : 0;
    return n;
}

const Seen k_news{{"Dudley", "new"},        {"Kent", "updated"},     {"Cornwall", "withdrawn"},
                  {"Cornwall", "restored"}, {"Sandwell", "new"},     {"Sandwell", "embargo_lifted"}};

}  // namespace

TEST_CASE("changes: by default what happened in the window, not the baseline or history loaded by hand",
          "[changes]") {
    ChangesBox box;
    const json news = box.run_json({"changes", "--since", "7d"});
    CHECK(seen(news) == k_news);
    CHECK(silent_count(news) == 0);
    const json all = box.run_json({"changes", "--since", "7d", "--include-baseline"});
    // The baseline's six assessments and Walsall's two hand-loaded releases, each marked silent.
    Seen silent;
    for (const auto& r : all)
        if (r["silent"].get<bool>())
            silent.insert({r["authority"]["name"].get<std::string>(), r["kind"].get<std::string>()});
    CHECK(silent == Seen{{"Birmingham", "new"}, {"Birmingham", "new"}, {"Camden", "new"}, {"Kent", "new"},
                         {"Leeds", "new"},       {"Cornwall", "new"},   {"Walsall", "new"}, {"Walsall", "new"}});
    CHECK(all.size() == news.size() + silent.size());
    const std::string table = box.table({"changes", "--since", "7d"});
    INFO(table);
    CHECK(table.find("(" + std::to_string(silent.size()) +
                     " changes recorded without an alert (the first-run baseline, history loaded by hand) left "
                     "out: --include-baseline shows them)\n") != std::string::npos);
    CHECK(table.find("Walsall") == std::string::npos);
    const std::string with = box.table({"changes", "--since", "7d", "--include-baseline"});
    CHECK(with.find("Walsall") != std::string::npos);
    CHECK(with.find("(recorded without an alert: baseline or history)") != std::string::npos);
}

TEST_CASE("changes: a withdrawal and a restoring in words, the embargo lift beside the figures", "[changes]") {
    ChangesBox box;
    const std::string table = box.table({"changes", "--since", "7d", "--authority", "Cornwall"});
    INFO(table);
    CHECK(table.find("withdrawn from CQC's site") != std::string::npos);
    CHECK(table.find("restored on CQC's site") != std::string::npos);
    CHECK(table.find("false") == std::string::npos);
    CHECK(table.find("true") == std::string::npos);
    const json rows = box.run_json({"changes", "--since", "7d", "--authority", "Cornwall"});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["fields"][0]["field"] == "withdrawn");  // machine-readable as before
    CHECK(rows[0]["fields"][0]["after"] == true);
    CHECK(rows[0]["fields"][0]["text"] == "withdrawn from CQC's site");
    CHECK(rows[1]["summary"] == "restored on CQC's site");
    auto csv = box.run({"changes", "--since", "7d", "--authority", "Cornwall", "--format", "csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.starts_with("changed_at,kind,authority,ons_code,assessment_id,field,before,after,summary\r\n"));
    CHECK(csv.out.find(",withdrawn,Cornwall,E06000052,") != std::string::npos);
    CHECK(csv.out.find(",withdrawn,false,true,withdrawn from CQC's site\r\n") != std::string::npos);
    const std::string lift = box.table({"changes", "--since", "7d", "--authority", "Sandwell"});
    CHECK(lift.find("embargo lifted") != std::string::npos);
    CHECK(lift.find("embargo lifted: Good") != std::string::npos);
}

TEST_CASE("changes: --rating, --authority, --region and --type choose what is shown", "[changes]") {
    ChangesBox box;
    CHECK(seen(box.run_json({"changes", "--rating", "inadequate"})) ==
          Seen{{"Cornwall", "withdrawn"}, {"Cornwall", "restored"}});
    CHECK(seen(box.run_json({"changes", "--rating", "requires improvement"})) == Seen{{"Kent", "updated"}});
    CHECK(seen(box.run_json({"changes", "--region", "West Midlands"})) ==
          Seen{{"Dudley", "new"}, {"Sandwell", "new"}, {"Sandwell", "embargo_lifted"}});
    CHECK(seen(box.run_json({"changes", "--type", "county"})) == Seen{{"Kent", "updated"}});
    CHECK(seen(box.run_json({"changes", "--authority", "Dudley", "--authority", "Kent"})) ==
          Seen{{"Dudley", "new"}, {"Kent", "updated"}});
    for (const auto& r : box.run_json({"changes", "--region", "West Midlands"}))
        CHECK(r["authority"]["region"] == "West Midlands");
    auto region = box.run({"changes", "--region", "West Midland"});
    CHECK(region.code == 2);
    CHECK(region.err.starts_with(
        "cqcwatch: --region: unknown region 'West Midland' (did you mean 'West Midlands'?); expected one of "));
    auto rating = box.run({"changes", "--rating", "inadequte"});
    CHECK(rating.code == 2);
    CHECK(rating.err == "cqcwatch: --rating: expected outstanding, good, requires improvement or inadequate, got "
                        "'inadequte' (did you mean 'inadequate'?)\n");
    auto type = box.run({"changes", "--type", "countie"});
    CHECK(type.code == 2);
    CHECK(type.err.starts_with("cqcwatch: --type: unknown council type 'countie' (did you mean 'county'?)"));
}

TEST_CASE("changes: --since and --until bound the window, --limit the rows", "[changes]") {
    ChangesBox box;
    // Restored 10 h ago, Sandwell's release 8 h ago, its lift 6 h ago.
    CHECK(seen(box.run_json({"changes", "--since", "9h"})) == Seen{{"Sandwell", "new"}, {"Sandwell", "embargo_lifted"}});
    CHECK(seen(box.run_json({"changes", "--since", "12h", "--until", "7h"})) ==
          Seen{{"Cornwall", "restored"}, {"Sandwell", "new"}});
    CHECK(seen(box.run_json({"changes", "--until", "12h"})) ==
          Seen{{"Dudley", "new"}, {"Kent", "updated"}, {"Cornwall", "withdrawn"}});
    auto bad = box.run({"changes", "--since", "2h", "--until", "3h"});
    CHECK(bad.code == 2);
    CHECK(bad.err == "cqcwatch: --until: must be after --since ('2h')\n");
    const json two = box.run_json({"changes", "--limit", "2"});
    const json every = box.run_json({"changes"});
    REQUIRE(two.size() == 2);
    CHECK(two[0] == every[0]);  // oldest first, the first two
    CHECK(two[1] == every[1]);
    const std::string table = box.table({"changes", "--limit", "2"});
    CHECK(table.find("(first 2 of " + std::to_string(every.size()) + " shown; --limit 0 shows all)\n") !=
          std::string::npos);
}

TEST_CASE("changes: an empty answer says so in the table, stays parseable in json and csv", "[changes]") {
    ChangesBox box;
    const std::string camden = box.table({"changes", "--authority", "Camden"});
    const json history = box.run_json({"history"});
    CHECK(camden == "No changes matching the filters in the last 7 days (" + std::to_string(history.size()) +
                        " assessments in the history; 1 change recorded without an alert (the first-run baseline, "
                        "history loaded by hand) left out: --include-baseline shows it)\n");
    // Walsall's two releases were ingested just now, silently: the sentence counts them.
    CHECK(box.table({"changes", "--since", "2h"}) ==
          "No changes in the last 2 hours (" + std::to_string(history.size()) +
              " assessments in the history; 2 changes recorded without an alert (the first-run baseline, history "
              "loaded by hand) left out: --include-baseline shows them)\n");
    CHECK(box.table({"changes", "--since", "2h", "--authority", "Dudley"}) ==
          "No changes matching the filters in the last 2 hours (" + std::to_string(history.size()) +
              " assessments in the history)\n");
    CHECK(box.run_json({"changes", "--since", "2h"}) == json::array());
    auto csv = box.run({"changes", "--since", "2h", "--format", "csv"});
    CHECK(csv.out == "changed_at,kind,authority,ons_code,assessment_id,field,before,after,summary\r\n");
}
