#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "parsers/authorities.hpp"
#include "parsers/document.hpp"

using namespace cqcwatch;

namespace {

std::string resolved_name(std::string_view s) {
    const auto r = Authorities::builtin().resolve(s);
    return r ? r->name : std::string("<none>");
}

}  // namespace

TEST_CASE("authorities: the built-in data has 153 councils with unique codes", "[parsers][authorities]") {
    const auto& all = Authorities::builtin().all();
    REQUIRE(all.size() == 153);
    std::set<std::string> codes;
    std::size_t counties = 0, mets = 0, london = 0, unitary = 0;
    for (const auto& e : all) {
        codes.insert(e.code);
        counties += e.code.starts_with("E10");
        mets += e.code.starts_with("E08");
        london += e.code.starts_with("E09");
        unitary += e.code.starts_with("E06");
    }
    CHECK(codes.size() == 153);
    CHECK(counties == 21);
    CHECK(mets == 36);
    CHECK(london == 33);
    CHECK(unitary == 63);
}

TEST_CASE("authorities: CQC's names and official names resolve", "[parsers][authorities]") {
    CHECK(resolved_name("Walsall Council") == "Walsall");
    CHECK(resolved_name("Walsall Metropolitan Borough Council") == "Walsall");
    CHECK(resolved_name("Walsall Council\xE2\x80\x99s") == "Walsall");
    CHECK(resolved_name("London Borough of Hammersmith & Fulham") == "Hammersmith and Fulham");
    CHECK(resolved_name("the London Borough of Hammersmith & Fulham's") == "Hammersmith and Fulham");
    CHECK(resolved_name("City of York Council") == "York");
    CHECK(resolved_name("Royal Borough of Windsor & Maidenhead") == "Windsor and Maidenhead");
    CHECK(resolved_name("Council of the Isles of Scilly") == "Isles of Scilly");
    CHECK(resolved_name("Bournemouth, Christchurch and Poole") == "Bournemouth, Christchurch and Poole");
    CHECK(resolved_name("Stoke on Trent") == "Stoke-on-Trent");
    CHECK(resolved_name("Stoke-on-Trent City Council") == "Stoke-on-Trent");
    CHECK(resolved_name("Richmond") == "Richmond upon Thames");
    CHECK(resolved_name("London Borough of Richmond upon Thames") == "Richmond upon Thames");
    CHECK(resolved_name("Birmingham City Council") == "Birmingham");
    CHECK(resolved_name("Hertfordshire County Council") == "Hertfordshire");
    CHECK(resolved_name("LONDON BOROUGH OF CAMDEN") == "Camden");
    CHECK(resolved_name("City of London Corporation") == "City of London");
    CHECK(resolved_name("City of London") == "City of London");
    CHECK(resolved_name("Bedford Borough Council") == "Bedford");
    CHECK(resolved_name("Durham County Council") == "County Durham");
    CHECK(resolved_name("Westmorland") == "Westmorland and Furness");
    CHECK(resolved_name("Newcastle Upon Tyne") == "Newcastle upon Tyne");
    CHECK(resolved_name("St. Helens Council") == "St Helens");
}

TEST_CASE("authorities: whole names only, never a neighbour", "[parsers][authorities]") {
    CHECK(resolved_name("North Somerset") == "North Somerset");
    CHECK(resolved_name("North Somerset Council") == "North Somerset");
    CHECK(resolved_name("Somerset Council") == "Somerset");
    CHECK(resolved_name("North Lincolnshire") == "North Lincolnshire");
    CHECK(resolved_name("Lincolnshire") == "Lincolnshire");
    CHECK(resolved_name("Somerset West and Taunton") == "<none>");
    CHECK(resolved_name("Newcastle-under-Lyme Borough Council") == "<none>");
    CHECK(resolved_name("London") == "<none>");
    CHECK(resolved_name("Council") == "<none>");
    CHECK(resolved_name("") == "<none>");
    CHECK(resolved_name("Cumbria County Council") == "<none>");
}

TEST_CASE("authorities: ONS codes resolve", "[parsers][authorities]") {
    const auto r = Authorities::builtin().resolve("E08000030");
    REQUIRE(r);
    CHECK(r->name == "Walsall");
    CHECK(r->code == "E08000030");
    CHECK(resolved_name("e06000066") == "Somerset");
    CHECK(resolved_name("E06000024") == "North Somerset");
    CHECK(resolved_name("E99999999") == "<none>");
}

TEST_CASE("authorities: suggestions are the nearest names", "[parsers][authorities]") {
    const auto s = Authorities::builtin().suggest("Walsal Council");
    REQUIRE(!s.empty());
    CHECK(s.front() == "Walsall");
    CHECK(Authorities::builtin().suggest("Hammersmith and Fulam", 2).front() == "Hammersmith and Fulham");
    CHECK(Authorities::builtin().suggest("Wolverhampton", 1) == std::vector<std::string>{"Wolverhampton"});
}

TEST_CASE("authorities: bad data names the line", "[parsers][authorities]") {
    auto bad = Authorities::from_text("# c\nWalsall\tE08000030\t\nBroken line\n");
    REQUIRE(!bad);
    CHECK(bad.error().message ==
          "authorities.tsv:3: expected name, ONS code, aliases, region and type separated by tabs");
    auto clash = Authorities::from_text("Walsall\tE08000030\tWS\nWolverhampton\tE08000031\tws\n");
    REQUIRE(!clash);
    CHECK(clash.error().message == "authorities.tsv:2: 'ws' already names Walsall");
    auto code = Authorities::from_text("Walsall\tX08000030\t\n");
    REQUIRE(!code);
    CHECK(code.error().message.starts_with("authorities.tsv:1: expected a name and an ONS code"));
}

TEST_CASE("authorities: every name in the CQC listing resolves", "[parsers][authorities]") {
    std::ifstream in(std::string(CQCWATCH_SHARED_DIR) + "/samples/real/all__listing.txt");
    REQUIRE(in);
    std::string line;
    bool in_list = false;
    std::size_t count = 0;
    std::set<std::string> distinct;
    while (std::getline(in, line)) {
        const auto text = normalise_text(line);
        if (text.starts_with("View the local authorities"))
            in_list = true;
        else if (text == "Pilot assessments")
            in_list = false;
        else if (in_list && text.starts_with("- ")) {
            const auto name = text.substr(2);
            INFO(name);
            const auto r = Authorities::builtin().resolve(name);
            CHECK(r);
            if (r) distinct.insert(r->code);
            ++count;
        }
    }
    CHECK(count == 73);
    CHECK(distinct.size() == 72);  // "Richmond" and "London Borough of Richmond" are one council
}

TEST_CASE("authorities: partial names resolve when they can mean one council and list the candidates when not",
          "[parsers][authorities]") {
    CHECK(resolved_name("Windsor") == "Windsor and Maidenhead");
    CHECK(resolved_name("Maidenhead") == "Windsor and Maidenhead");
    CHECK(resolved_name("Barking") == "Barking and Dagenham");
    CHECK(resolved_name("Telford") == "Telford and Wrekin");
    CHECK(resolved_name("Stoke") == "Stoke-on-Trent");
    CHECK(resolved_name("Kingston") == "<none>");
    CHECK(resolved_name("Northumb") == "Northumberland");  // the start of one council's name
    CHECK(resolved_name("Windsor Council") == "Windsor and Maidenhead");
    CHECK(resolved_name("Hull") == "Kingston upon Hull");  // an alias no other council's name contains
    const auto& all = Authorities::builtin();
    CHECK(all.partial_matches("Kingston") == std::vector<std::string>{"Kingston upon Thames", "Kingston upon Hull"});
    CHECK(all.suggest("Kingston", 3) ==
          std::vector<std::string>{"Kingston upon Thames", "Kingston upon Hull", all.suggest("Kingston", 3)[2]});
    CHECK(all.suggest("Windsor", 1) == std::vector<std::string>{"Windsor and Maidenhead"});
    CHECK(all.suggest("Barking", 1) == std::vector<std::string>{"Barking and Dagenham"});
    // Generic words stand in many names and mean none of them.
    CHECK(resolved_name("North") == "<none>");
    CHECK(all.partial_matches("North").size() > 3);
    CHECK(resolved_name("Borough") == "<none>");
}
