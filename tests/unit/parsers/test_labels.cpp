// Every hand-labelled real text in ../shared parses to exactly its labels.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "parsers/authorities.hpp"
#include "parsers/parse.hpp"

using namespace cqcwatch;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Samples start "# source: URL" and a blank line; real input does not, so the test strips them.
std::string strip_source_line(const std::string& text, std::string& url) {
    if (!text.starts_with("# source: ")) return text;
    const auto eol = text.find('\n');
    url = text.substr(10, eol - 10);
    while (!url.empty() && (url.back() == '\r' || url.back() == ' ')) url.pop_back();
    auto body = eol == std::string::npos ? std::string() : text.substr(eol + 1);
    if (body.starts_with("\r\n"))
        body.erase(0, 2);
    else if (body.starts_with("\n"))
        body.erase(0, 1);
    return body;
}

void check_labels(const std::string& dir) {
    const auto labels = nlohmann::json::parse(read_file(dir + "/labels.json"));
    REQUIRE(labels.is_array());
    REQUIRE(!labels.empty());
    for (const auto& label : labels) {
        const std::string file = label.at("file");
        INFO("file: " << file);
        std::string url = label.value("source_url", "");
        const std::string body = strip_source_line(read_file(dir + "/" + file), url);
        REQUIRE(!body.empty());
        ParseOptions options;
        options.url = url;
        const auto parsed = parse_document(body, options, Authorities::builtin());
        REQUIRE(parsed);
        const ParseResult& r = *parsed;
        for (const auto& w : r.warnings) UNSCOPED_INFO("warning: " << w);

        if (label.at("authority").is_null()) {
            CHECK_FALSE(r.authority);
        } else {
            const auto expected = Authorities::builtin().resolve(label.at("authority").get<std::string>());
            REQUIRE(expected);
            REQUIRE(r.authority);
            CHECK(r.authority->code == expected->code);
        }
        const auto& a = r.assessment;
        if (label.at("overall_rating").is_null()) {
            CHECK((!a || !a->rating));
        } else {
            REQUIRE(a);
            REQUIRE(a->rating);
            CHECK(to_key(*a->rating) == label.at("overall_rating").get<std::string>());
        }
        CHECK((a && a->indicative) == label.at("indicative").get<bool>());
        Scores expected_scores{};
        if (!label.at("scores").is_null())
            for (std::size_t i = 0; i < k_statement_count; ++i)
                if (!label.at("scores").at(i).is_null()) expected_scores[i] = label.at("scores").at(i).get<int>();
        const Scores got = a ? a->scores : Scores{};
        for (std::size_t i = 0; i < k_statement_count; ++i) {
            INFO("statement " << to_key(statement_at(i)));
            CHECK(got[i] == expected_scores[i]);
        }
        if (label.at("embargo_until").is_null()) {
            CHECK_FALSE(r.embargo);
        } else {
            REQUIRE(r.embargo);
            CHECK(r.embargo->resolved);
            std::string until = label.at("embargo_until");
            if (until.ends_with("+00:00")) until = until.substr(0, until.size() - 6) + "Z";
            CHECK(r.embargo->until_utc == until);
        }
        if (label.at("published").is_null())
            CHECK_FALSE(r.published);
        else {
            REQUIRE(r.published);
            CHECK(r.published->iso() == label.at("published").get<std::string>());
        }
    }
}

}  // namespace

TEST_CASE("labels: the seed press releases parse to their labels", "[parsers][labels]") {
    check_labels(std::string(CQCWATCH_SHARED_DIR) + "/seeds");
}

TEST_CASE("labels: every real sample parses to its labels", "[parsers][labels]") {
    check_labels(std::string(CQCWATCH_SHARED_DIR) + "/samples/real");
}
