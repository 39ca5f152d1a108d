// Thousands of generated page and mail shapes (tests/support/shape_generator),
// each read through parse_document as the daemon reads it, every field
// compared with what the case states: right, missing (null) or wrong. The
// target is every field right and none wrong; a contradicting case must come
// back null with a warning.
//
//   CQCWATCH_SHAPES_SEED=N    another seed (the default is fixed, so a failure repeats)
//   CQCWATCH_SHAPES_CASES=N   cases per family (default 2500)
//   CQCWATCH_SHAPES_SHOW=N    failing cases to print per family (default 8)
//   CQCWATCH_SHAPES_BREAKDOWN=1  failures counted by each choice a case was made of

#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"
#include "parsers/parse.hpp"
#include "support/shape_generator.hpp"

using namespace cqcwatch;
namespace shapes = cqcwatch::test::shapes;

namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Tally {
    std::size_t right = 0, missing = 0, wrong = 0;
    std::size_t total() const { return right + missing + wrong; }
};

struct Outcome {
    std::map<std::string, Tally> fields;  ///< "rating", "scores", "percentage", "council", "embargo", "warning"
    std::size_t cases = 0, perfect = 0;
    /// Hard-wrapped plain text (no format=flowed) can break a table row where no reader can tell a
    /// continuation from a new line: such a case may leave a score null, with a warning, never wrong.
    std::size_t wrapped_missing = 0, wrapped_missing_unwarned = 0;
    std::vector<std::string> failures;
    std::map<std::string, std::pair<std::size_t, std::size_t>> by_choice;  ///< shape word → (cases, failed)
};

template <class T>
void judge(Tally& t, const std::optional<T>& expected, const std::optional<T>& got, bool& ok, std::ostringstream& why,
           const std::string& field) {
    if (expected == got) {
        ++t.right;
        return;
    }
    ok = false;
    if (!got) {
        ++t.missing;
        why << " " << field << ":missing";
    } else {
        ++t.wrong;
        why << " " << field << ":WRONG";
    }
}

std::string describe(const ParseResult& r) {
    std::ostringstream o;
    if (r.assessment) {
        const auto& a = *r.assessment;
        o << "rating=" << (a.rating ? std::string(to_key(*a.rating)) : "null") << " scores=";
        for (const auto& s : a.scores) o << (s ? char('0' + *s) : '-');
        o << " stated=" << (a.stated_percentage ? std::to_string(*a.stated_percentage) : "null");
    } else {
        o << "no assessment";
    }
    o << " council=" << (r.authority ? r.authority->name : "null");
    if (r.embargo) o << " embargo=" << r.embargo->until_utc << (r.embargo->resolved ? "" : "(unresolved)");
    for (const auto& w : r.warnings) o << "\n      warning: " << w;
    return o.str();
}

Outcome run_family(bool mail, std::uint64_t seed, std::size_t n) {
    Outcome out;
    const auto show = env_number("CQCWATCH_SHAPES_SHOW", 8);
    for (std::size_t i = 0; i < n; ++i) {
        const shapes::Case c = mail ? shapes::mail_case(seed, i) : shapes::page_case(seed, i);
        ParseOptions o;
        o.url = c.url;
        const auto parsed = parse_document(c.bytes, o, Authorities::builtin());
        ++out.cases;
        bool ok = true;
        std::ostringstream why;
        if (!parsed) {
            ok = false;
            why << " error: " << parsed.error().message;
            out.fields["rating"].missing++;
            out.fields["scores"].missing += k_statement_count;
            out.fields["council"].missing++;
        } else {
            const ParseResult& r = *parsed;
            const Assessment a = r.assessment.value_or(Assessment{});
            judge(out.fields["rating"], c.truth.rating, a.rating, ok, why, "rating");
            for (std::size_t s = 0; s < k_statement_count; ++s)
                judge(out.fields["scores"], c.truth.scores[s], a.scores[s], ok, why, std::string(to_key(statement_at(s))));
            std::optional<int> stated;
            if (a.stated_percentage) stated = static_cast<int>(*a.stated_percentage);
            if (!mail) judge(out.fields["percentage"], c.truth.percent, stated, ok, why, "percentage");
            judge(out.fields["council"], std::optional<std::string>(c.truth.council),
                  r.authority ? std::optional<std::string>(r.authority->name) : std::nullopt, ok, why, "council");
            if (mail) {
                std::optional<std::int64_t> got;
                if (r.embargo && r.embargo->resolved) got = r.embargo->until_unix;
                judge(out.fields["embargo"], c.truth.embargo_unix, got, ok, why, "embargo");
            }
            if (c.truth.expect_suspect) {
                bool warned = false;
                for (const auto& w : r.warnings) warned = warned || w.find("withheld") != std::string::npos;
                auto& t = out.fields["warning"];
                if (warned) ++t.right;
                else ++t.missing, ok = false, why << " warning:missing";
            }
            if (!ok) why << "\n      read: " << describe(r);
        }
        {
            std::istringstream words(c.shape);
            for (std::string w; words >> w;) {
                auto& [cases, failed] = out.by_choice[w];
                ++cases;
                failed += ok ? 0 : 1;
            }
        }
        if (!ok && parsed && c.shape.find("body=plain-wrapped") != std::string::npos) {
            std::size_t missing = 0;
            for (std::size_t k = 0; k < k_statement_count; ++k)
                if (c.truth.scores[k] && !(parsed->assessment && parsed->assessment->scores[k])) ++missing;
            out.wrapped_missing += missing;
            bool warned = false;
            for (const auto& w : parsed->warnings) warned = warned || w.find("found; none for") != std::string::npos;
            if (missing > 0 && !warned) ++out.wrapped_missing_unwarned;
        }
        if (ok) ++out.perfect;
        else if (out.failures.size() < show) out.failures.push_back("#" + std::to_string(i) + " " + c.shape + ":" + why.str());
    }
    return out;
}

void report(const char* family, std::uint64_t seed, const Outcome& o) {
    std::ostringstream s;
    s << "shapes: " << family << " seed " << seed << ": " << o.cases << " cases, " << o.perfect << " wholly right\n";
    if (o.wrapped_missing != 0)
        s << "  of the missing, " << o.wrapped_missing << " are scores in hard-wrapped tables (left null, with a warning)\n";
    for (const auto& [field, t] : o.fields)
        s << "  " << field << ": " << t.total() << " fields, " << t.right << " right, " << t.missing << " missing, "
          << t.wrong << " wrong\n";
    if (env_number("CQCWATCH_SHAPES_BREAKDOWN", 0) != 0)
        for (const auto& [w, n] : o.by_choice)
            if (n.second != 0) s << "  failed " << n.second << "/" << n.first << " " << w << "\n";
    for (const auto& f : o.failures) s << "  " << f << "\n";
    std::cout << s.str() << std::flush;
}

std::size_t count(const Outcome& o, std::size_t Tally::*which) {
    std::size_t n = 0;
    for (const auto& [field, t] : o.fields) n += t.*which;
    return n;
}

}  // namespace

TEST_CASE("shapes: generated report pages read every field right and none wrong", "[parsers][shapes]") {
    const auto seed = env_number("CQCWATCH_SHAPES_SEED", 20261207);
    const auto n = env_number("CQCWATCH_SHAPES_CASES", 2500);
    const Outcome o = run_family(false, seed, n);
    report("pages", seed, o);
    CHECK(o.cases == n);
    CHECK(count(o, &Tally::wrong) == 0);
    CHECK(count(o, &Tally::missing) == 0);
    CHECK(o.perfect == o.cases);
}

TEST_CASE("shapes: generated release mails read every field right and none wrong", "[parsers][shapes]") {
    const auto seed = env_number("CQCWATCH_SHAPES_SEED", 20261207);
    const auto n = env_number("CQCWATCH_SHAPES_CASES", 2500);
    const Outcome o = run_family(true, seed, n);
    report("mails", seed, o);
    CHECK(o.cases == n);
    CHECK(count(o, &Tally::wrong) == 0);
    // Every field of every shape is read, except scores in rows a hard wrap broke beyond telling,
    // which are withheld with a warning (a null costs a minute; a guess gets published).
    CHECK(count(o, &Tally::missing) == o.wrapped_missing);
    CHECK(o.wrapped_missing_unwarned == 0);
    CHECK(o.wrapped_missing * 100 <= o.fields.at("scores").total());  // under 1 %
}

TEST_CASE("shapes: one case shown whole, with its blocks (CQCWATCH_SHAPES_DUMP=page:N or mail:N)", "[shapes-dump]") {
    const char* which = std::getenv("CQCWATCH_SHAPES_DUMP");
    const std::string w = which != nullptr ? which : "page:0";
    const bool mail = w.starts_with("mail:");
    const auto i = std::strtoull(w.substr(w.find(':') + 1).c_str(), nullptr, 10);
    const auto seed = env_number("CQCWATCH_SHAPES_SEED", 20261207);
    const auto c = mail ? shapes::mail_case(seed, i) : shapes::page_case(seed, i);
    std::cout << c.shape << "\n" << c.bytes << "\n----\n";
    if (!mail) {
        const auto doc = html_to_document(c.bytes, c.url);
        REQUIRE(doc);
        for (const auto& b : doc->blocks) {
            std::cout << "[" << b.group << "/" << b.column << " h=" << b.header << " rh=" << b.row_header << " p=";
            for (auto id : b.path) std::cout << id << ".";
            std::cout << "] " << b.text << "\n";
        }
    }
    ParseOptions o;
    o.url = c.url;
    const auto r = parse_document(c.bytes, o, Authorities::builtin());
    REQUIRE(r);
    std::cout << describe(*r) << "\n";
}

TEST_CASE("shapes: the generator is deterministic and varied", "[parsers][shapes]") {
    // The same seed gives the same bytes; different indices give different shapes.
    CHECK(shapes::page_case(7, 3).bytes == shapes::page_case(7, 3).bytes);
    CHECK(shapes::mail_case(7, 3).bytes == shapes::mail_case(7, 3).bytes);
    std::set<std::string> page_shapes, mail_shapes;
    for (std::size_t i = 0; i < 200; ++i) {
        page_shapes.insert(shapes::page_case(7, i).shape);
        mail_shapes.insert(shapes::mail_case(7, i).shape);
    }
    CHECK(page_shapes.size() > 190);
    CHECK(mail_shapes.size() > 190);
    // Every council the generator writes is one the authorities data knows by that canonical name.
    for (std::size_t i = 0; i < 200; ++i) {
        const auto c = shapes::page_case(7, i);
        REQUIRE(Authorities::builtin().resolve(c.truth.council));
        CHECK(Authorities::builtin().resolve(c.truth.council)->name == c.truth.council);
    }
}
