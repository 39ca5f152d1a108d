// The context an assessment alert carries, as the store builds it when it commits
// the event: the council's previous assessment, the region's and England's means
// over each council's latest assessment (nothing embargoed but the alert's own),
// the council's full name; and a withdrawal's link to the listing.

#include <cmath>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "support/store_test_support.hpp"

using namespace cqcwatch;
using namespace store_test;

namespace {

constexpr std::int64_t k_now = 1769126460;  // 2026-01-23T00:01:00Z
constexpr const char* k_base = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/";

AuthorityRef kent() { return {"Kent", "E10000016", "Kent County Council"}; }

const Event& only(const tl::expected<RecordResult, StoreError>& r, const std::string& type) {
    REQUIRE(r);
    for (const auto& e : r->events)
        if (e.type == type) return e;
    FAIL("no " + type + " event");
    return r->events.front();
}

double mean_of(std::initializer_list<int> values) {
    double sum = 0;
    for (int v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

double pct_of(const std::array<int, 9>& scores) {
    int sum = 0;
    for (int s : scores) sum += s;
    return std::floor(sum * 100.0 / 36.0 + 0.5);  // whole, half up: the one percentage rule
}

}  // namespace

TEST_CASE("store context: a council's second assessment alerts with its first, and the means", "[store][context]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    const std::array<int, 9> walsall_2024 = {2, 2, 2, 2, 2, 2, 2, 2, 3};
    const std::array<int, 9> walsall_2026 = {3, 3, 3, 3, 3, 2, 3, 3, 3};
    const std::array<int, 9> brum = {3, 2, 2, 3, 3, 2, 2, 3, 3};
    const std::array<int, 9> kent_scores = {4, 3, 3, 3, 3, 3, 4, 3, 3};

    auto first = store.record_document(report(walsall(), std::string(k_base) + "walsall-0324", walsall_2024,
                                              Rating::requires_improvement, "2024-03-12"),
                                       ctx_at(k_now - 86400 * 600));
    const Event& first_alert = only(first, "assessment.published");
    CHECK(first_alert.body["first_assessment"] == true);
    CHECK(first_alert.body["previous_assessment"].is_null());

    REQUIRE(store.record_document(
        report(birmingham(), std::string(k_base) + "birmingham", brum, Rating::good, "2025-06-01"),
        ctx_at(k_now - 86400 * 200)));
    REQUIRE(store.record_document(report(kent(), std::string(k_base) + "kent", kent_scores, Rating::good, "2025-09-01"),
                                  ctx_at(k_now - 86400 * 100)));
    auto walsall_full = walsall();
    walsall_full.name_in_text = "Walsall Metropolitan Borough Council";
    auto second = store.record_document(
        report(walsall_full, std::string(k_base) + "walsall-0126", walsall_2026, Rating::good, "2026-01-23"),
        ctx_at(k_now));
    const auto& body = only(second, "assessment.published").body;

    CHECK(body["first_assessment"] == false);
    CHECK(body["previous_assessment"] == nlohmann::json{{"rating", "requires_improvement"},
                                                        {"percentage", pct_of(walsall_2024)},
                                                        {"published", "2024-03-12"}});
    CHECK(body["authority"]["full_name"] == "Walsall Metropolitan Borough Council");
    CHECK(body["authority"]["name"] == "Walsall");  // the contract's fields as they were

    // West Midlands: Walsall's latest (not its 2024 one) and Birmingham; England adds Kent.
    const auto& region = body["context"]["region"];
    CHECK(region["name"] == "West Midlands");
    CHECK(region["code"] == "E12000005");
    CHECK(region["n"] == 2);
    CHECK(region["means"]["assessing_needs"].get<double>() == Approx(mean_of({3, 3})));
    CHECK(region["means"]["healthier_lives"].get<double>() == Approx(mean_of({3, 2})));
    CHECK(region["percentage"].get<double>() == Approx((pct_of(walsall_2026) + pct_of(brum)) / 2).margin(0.005));
    const auto& england = body["context"]["england"];
    CHECK(england["name"] == "England");
    CHECK(england["n"] == 3);
    CHECK(england["means"]["safeguarding"].get<double>() == Approx(mean_of({3, 2, 4})).margin(0.005));
    CHECK(england["means"].size() == 9);
}

TEST_CASE("store context: unknown scores are left out of the means, not counted as zero", "[store][context]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto partial = report(birmingham(), std::string(k_base) + "birmingham", {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good,
                          "2025-06-01");
    partial.assessment->scores[6].reset();  // safeguarding not stated
    REQUIRE(store.record_document(partial, ctx_at(k_now - 86400)));
    auto r = store.record_document(report(walsall(), std::string(k_base) + "walsall", {2, 2, 2, 2, 2, 2, 1, 2, 3},
                                          Rating::requires_improvement, "2026-01-23"),
                                   ctx_at(k_now));
    const auto& region = only(r, "assessment.published").body["context"]["region"];
    CHECK(region["n"] == 2);
    CHECK(region["means"]["safeguarding"].get<double>() == Approx(1.0));  // Walsall's alone
    CHECK(region["means"]["assessing_needs"].get<double>() == Approx(2.5));
    // Birmingham has no percentage without its ninth score: the mean is Walsall's.
    CHECK(region["percentage"].get<double>() == Approx(18 * 100.0 / 36.0));
}

TEST_CASE("store context: another council's embargoed figures stay out of the means until its lift",
          "[store][context][embargo]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    // Birmingham's release is embargoed until k_now; Walsall is published meanwhile.
    auto release = press_release(birmingham(), "", embargo_at(k_now), "2026-01-22");
    auto held = store.record_document(release, ctx_at(k_now - 7200));
    REQUIRE(held);
    REQUIRE(held->embargo_id);
    auto walsall_doc =
        report(walsall(), std::string(k_base) + "walsall", {3, 3, 3, 3, 3, 3, 3, 3, 3}, Rating::good, "2026-01-22");
    auto w = store.record_document(walsall_doc, ctx_at(k_now - 3600));
    const auto& before = only(w, "assessment.published").body["context"];
    CHECK(before["region"]["n"] == 1);
    CHECK(before["england"]["n"] == 1);
    CHECK(before["region"]["means"]["assessing_needs"].get<double>() == Approx(3.0));  // not (3 + 2) / 2
    CHECK(before.dump().find("Birmingham") == std::string::npos);

    // At the lift, Birmingham's alert carries its own context, its figures now counted.
    auto lifted = store.lift_embargo(*held->embargo_id, ctx_at(k_now), LiftKind::on_time);
    REQUIRE(lifted);
    REQUIRE(*lifted);
    const auto& body = (*lifted)->body;
    CHECK(body["first_assessment"] == true);
    CHECK(body["authority"]["full_name"] == "Birmingham City Council");
    CHECK(body["context"]["region"]["n"] == 2);
    CHECK(body["context"]["region"]["means"]["assessing_needs"].get<double>() == Approx(2.5));
}

TEST_CASE("store context: the fullest name CQC's texts give is kept, whatever order they come in", "[store][context]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    auto full = walsall();
    full.name_in_text = "Walsall Metropolitan Borough Council";
    REQUIRE(store.record_document(report(full, std::string(k_base) + "walsall", {2, 2, 2, 2, 2, 2, 2, 2, 3},
                                         Rating::requires_improvement, "2026-01-23"),
                                  ctx_at(k_now)));
    auto short_name = walsall();
    short_name.name_in_text = "Walsall";
    auto r = store.record_document(
        press_release(short_name, "https://www.cqc.org.uk/press-release/walsall", std::nullopt, "2026-01-23"),
        ctx_at(k_now + 60));
    REQUIRE(r);
    // A later copy with a shorter name changes nothing; a parser.suspect about the council names it in full too.
    auto events = store.list_events();
    REQUIRE(events);
    for (const auto& e : *events)
        if (e.body["authority"].is_object()) CHECK(e.body["authority"]["full_name"] == full.name_in_text);
}

TEST_CASE("store context: a withdrawal names the listing and when the report was last on it", "[store][context]") {
    TempDir dir;
    Store store = Store::open_or_throw(dir.file("h.db"), StoreMode::read_write);
    const std::string url = std::string(k_base) + "walsall";
    const std::string listing = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports";
    REQUIRE(store.record_document(
        report(walsall(), url, {2, 2, 2, 2, 2, 2, 2, 2, 3}, Rating::requires_improvement, "2026-01-23"),
        ctx_at(k_now)));
    REQUIRE(store.note_listing({url}, ctx_at(k_now), 1, listing));
    auto r = store.note_listing({}, ctx_at(k_now + 600), 1, listing);
    REQUIRE(r);
    // An empty listing withdraws nothing (it is a parser problem); a listing without the report does.
    REQUIRE(store.note_listing({std::string(k_base) + "other"}, ctx_at(k_now + 600), 1, listing));
    auto events = store.list_events();
    REQUIRE(events);
    const Event* withdrawn = nullptr;
    for (const auto& e : *events)
        if (e.type == "assessment.withdrawn") withdrawn = &e;
    REQUIRE(withdrawn);
    CHECK(withdrawn->body["withdrawn_url"] == url);
    CHECK(withdrawn->body["listing_url"] == listing);
    CHECK(withdrawn->body["last_seen"] == rfc3339(at(k_now)));
    CHECK(!withdrawn->body.contains("context"));  // not an assessment alert
}
