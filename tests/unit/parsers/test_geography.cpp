#include <catch2/catch.hpp>

#include <map>

#include "parsers/authorities.hpp"
#include "parsers/geography.hpp"

using namespace cqcwatch;

namespace {

std::string region_of(std::string_view council) {
    const auto ref = Authorities::builtin().resolve(council);
    if (!ref) return "<no council>";
    const auto* r = region_by_code(Authorities::builtin().by_code(ref->code)->region);
    return r ? std::string(r->name) : "<no region>";
}

}  // namespace

TEST_CASE("geography: every council has a region and a type, in ONS's numbers", "[parsers][geography]") {
    std::map<std::string, int> per_region, per_type;
    for (const auto& e : Authorities::builtin().all()) {
        const auto* r = region_by_code(e.region);
        REQUIRE(r);
        REQUIRE(e.type);
        ++per_region[std::string(r->name)];
        ++per_type[std::string(to_key(*e.type))];
    }
    // ADASS/ONS regional counts of upper-tier councils from April 2023.
    CHECK(per_region == std::map<std::string, int>{{"North East", 12},
                                                   {"North West", 24},
                                                   {"Yorkshire and The Humber", 15},
                                                   {"East Midlands", 10},
                                                   {"West Midlands", 14},
                                                   {"East of England", 11},
                                                   {"London", 33},
                                                   {"South East", 19},
                                                   {"South West", 15}});
    CHECK(per_type == std::map<std::string, int>{{"county", 21},
                                                 {"metropolitan", 36},
                                                 {"london_borough", 32},
                                                 {"unitary", 62},
                                                 {"city_of_london", 1},
                                                 {"isles_of_scilly", 1}});
}

TEST_CASE("geography: councils near region borders sit where ONS puts them", "[parsers][geography]") {
    CHECK(region_of("Walsall") == "West Midlands");
    CHECK(region_of("Milton Keynes") == "South East");
    CHECK(region_of("Swindon") == "South West");
    CHECK(region_of("North Lincolnshire") == "Yorkshire and The Humber");
    CHECK(region_of("Lincolnshire") == "East Midlands");
    CHECK(region_of("Peterborough") == "East of England");
    CHECK(region_of("Cumberland") == "North West");
    CHECK(region_of("Darlington") == "North East");
    CHECK(region_of("High Peak") == "<no council>");
}

TEST_CASE("geography: regions and types as people type them", "[parsers][geography]") {
    REQUIRE(find_region("west midlands"));
    CHECK(find_region("West-Midlands")->code == "E12000005");
    CHECK(find_region("E12000007")->name == "London");
    CHECK(find_region("yorkshire & the humber")->key == "yorkshire_and_the_humber");
    CHECK(find_region("East")->name == "East of England");
    CHECK(find_region("Midlands") == nullptr);
    CHECK(find_council_type("London borough") == CouncilType::london_borough);
    CHECK(find_council_type("london-borough") == CouncilType::london_borough);
    CHECK(find_council_type("Metropolitan Borough") == CouncilType::metropolitan);
    CHECK(find_council_type("unitary authority") == CouncilType::unitary);
    CHECK(find_council_type("City of London") == CouncilType::city_of_london);
    CHECK(find_council_type("district") == std::nullopt);
}

TEST_CASE("geography: bad region or type in the data names the line", "[parsers][geography]") {
    auto region = Authorities::from_text("Walsall\tE08000030\t\tE13000001\tmetropolitan\n");
    REQUIRE(!region);
    CHECK(region.error().message ==
          "authorities.tsv:1: expected an ONS region code E12000001 to E12000009, found 'E13000001'");
    auto type = Authorities::from_text("Walsall\tE08000030\t\tE12000005\tdistrict\n");
    REQUIRE(!type);
    CHECK(type.error().message ==
          "authorities.tsv:1: expected a council type (county, metropolitan, london_borough, unitary, "
          "city_of_london, isles_of_scilly), found 'district'");
    auto old_format = Authorities::from_text("Walsall\tE08000030\tWS\n");
    REQUIRE(old_format);
    CHECK(old_format->all().front().region.empty());
}
