#pragma once
// Setter makers for the key table: each checks a value and stores it in one
// member. Only config/rows.cpp uses them.

#include <string>
#include <string_view>
#include <vector>

#include "config/checks.hpp"
#include "config/table.hpp"
#include "notifiers/kinds.hpp"

namespace cqcwatch::config_table::setters {

using config_checks::fail;

using std::chrono::milliseconds;

template <class T>
auto text(std::string T::*member) {
    return [member](T& t, const KeyValue& v) -> SetResult {
        t.*member = v.text;
        return {};
    };
}

template <class T>
auto non_empty_text(std::string T::*member) {
    return [member](T& t, const KeyValue& v) -> SetResult {
        if (v.text.empty()) return fail("must not be empty");
        t.*member = v.text;
        return {};
    };
}

template <class T>
auto one_of(std::string T::*member, std::vector<std::string_view> allowed) {
    return [member, allowed](T& t, const KeyValue& v) -> SetResult {
        if (auto ok = config_checks::check_one_of(v.text, allowed); !ok) return ok;
        t.*member = v.text;
        return {};
    };
}

// An enum member set from its table of words (notifiers/kinds).
template <class T, class E>
auto word(E T::*member, const std::vector<EnumWord<E>>& words) {
    return [member, &words](T& t, const KeyValue& v) -> SetResult {
        const auto value = from_word(words, v.text);
        if (!value) return config_checks::check_one_of(v.text, word_keys(words));
        t.*member = *value;
        return {};
    };
}

template <class T>
auto boolean(bool T::*member) {
    return [member](T& t, const KeyValue& v) -> SetResult {
        t.*member = v.boolean;
        return {};
    };
}

template <class T>
auto integer(int T::*member, int min, int max) {
    return [member, min, max](T& t, const KeyValue& v) -> SetResult {
        if (v.integer < min || v.integer > max)
            return fail("must be from " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
                        std::to_string(v.integer));
        t.*member = static_cast<int>(v.integer);
        return {};
    };
}

template <class T>
auto duration(milliseconds T::*member, milliseconds min) {
    return [member, min](T& t, const KeyValue& v) -> SetResult {
        if (auto ok = config_checks::check_at_least(v.duration, min); !ok) return ok;
        t.*member = v.duration;
        return {};
    };
}

template <class T>
auto list(std::vector<std::string> T::*member) {
    return [member](T& t, const KeyValue& v) -> SetResult {
        t.*member = v.list;
        return {};
    };
}

}  // namespace cqcwatch::config_table::setters
