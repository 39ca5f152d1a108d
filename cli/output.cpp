// Shared by the store's subcommands: the database path, councils typed by
// users, and the JSON/CSV/table shapes of a stored assessment.

#include "cli/output.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <algorithm>
#include <cstdio>
#include <ostream>

#include <date/tz.h>

#include "cli/cmd_common.hpp"
#include "config/config.hpp"
#include "events/wording.hpp"
#include "parsers/authorities.hpp"

namespace cqcwatch {

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool config_named_explicitly(const GlobalOptions& global) {
    const char* env = std::getenv("CQCWATCH_CONFIG");
    return !global.config_path.empty() || (env && *env);
}

nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }
nlohmann::json opt(const std::optional<double>& d) { return d ? nlohmann::json(*d) : nlohmann::json(nullptr); }
nlohmann::json opt(const std::optional<Date>& d) { return d ? nlohmann::json(d->iso()) : nlohmann::json(nullptr); }

// Pending in the store and not yet past: the daemon may simply not have lifted it yet.
std::optional<TimePoint> embargoed_until(const StoredAssessment& a) {
    if (a.embargo_until && *a.embargo_until > std::chrono::system_clock::now()) return a.embargo_until;
    return std::nullopt;
}

std::string fixed1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

std::optional<Config> config_if_present(const GlobalOptions& global) {
    std::string path = global.resolved_config_path();
    if (!file_exists(path)) {
        if (config_named_explicitly(global)) throw ConfigError(path + ": config file not found");
        return std::nullopt;
    }
    return load_config_or_throw(global);
}

std::string database_path(const GlobalOptions& global, const std::string& database_option) {
    if (!database_option.empty()) return database_option;
    if (const char* env = std::getenv("CQCWATCH_DATABASE"); env && *env) return env;
    if (auto config = config_if_present(global)) return config->daemon.database;
    return DaemonConfig{}.database;
}

Store open_store(const std::string& path, StoreMode mode) { return Store::open_or_throw(path, mode); }

void add_database_option(CLI::App& sub, std::string& target) {
    sub.add_option("--database", target, "SQLite file (default $CQCWATCH_DATABASE, else [daemon] database)");
}

AuthorityRef resolve_authority_or_throw(std::string_view name) {
    const Authorities& all = Authorities::builtin();
    if (auto a = all.resolve(name)) return *a;
    if (const auto could_be = all.partial_matches(name); could_be.size() > 1) {  // "Kingston", "North"
        std::string msg = "council '" + std::string(name) + "' could be ";
        for (std::size_t i = 0; i < could_be.size() && i < 8; ++i) msg += (i == 0 ? "'" : ", '") + could_be[i] + "'";
        if (could_be.size() > 8) msg += " and " + std::to_string(could_be.size() - 8) + " more";
        throw UsageError(msg + ": say which");
    }
    std::string msg = "unknown council '" + std::string(name) + "'";
    auto near = all.suggest(name, 3);
    for (std::size_t i = 0; i < near.size(); ++i) msg += (i == 0 ? " (did you mean '" : ", '") + near[i] + "'";
    if (!near.empty()) msg += "?)";
    throw UsageError(msg);
}

Date parse_date_or_throw(std::string_view text, std::string_view option) {
    if (auto d = parse_iso_date(text)) return *d;
    throw UsageError(std::string(option) + ": expected a date YYYY-MM-DD, got '" + std::string(text) + "'");
}

nlohmann::json assessment_record_json(const StoredAssessment& a) {
    nlohmann::json j = assessment_json(a.assessment, a.published);
    j["id"] = a.id;
    j["authority"] = authority_json(a.authority);
    j["stated_percentage"] = opt(a.assessment.stated_percentage);
    j["computed_percentage"] = opt(a.computed_percentage);
    j["updated"] = opt(a.updated);
    j["summary_url"] = opt(a.summary_url);
    j["press_release_url"] = opt(a.press_release_url);
    j["withdrawn"] = a.withdrawn;
    j["first_seen"] = rfc3339(a.first_seen);
    j["last_changed"] = rfc3339(a.last_changed);
    j["content_hash"] = a.content_hash;
    auto until = embargoed_until(a);
    j["embargoed"] = until.has_value();
    j["embargo_until"] = until ? nlohmann::json(rfc3339(*until)) : nlohmann::json(nullptr);
    j["sources"] = a.provenance.is_object() ? a.provenance : nlohmann::json(nullptr);
    j["conflicts"] = a.conflicts;
    return j;
}

std::string conflict_note(const StoredAssessment& a) {
    if (a.conflicts.empty()) return {};
    return "the press release and the report page disagree: " + conflicts_text(a.conflicts) +
           "; the record keeps the report page's figures";
}

std::string sources_text(const StoredAssessment& a) {
    if (!a.provenance.is_object()) return {};
    // Fields from the same page are named together, in a fixed order.
    std::vector<std::pair<std::string, std::string>> groups;  // (where, fields)
    for (const char* field : {"rating", "scores", "percentage", "published"}) {
        auto it = a.provenance.find(field);
        if (it == a.provenance.end() || !it->is_object()) continue;
        std::string from = it->value("from", "");
        std::replace(from.begin(), from.end(), '_', ' ');
        const auto& url = (*it)["url"];
        std::string where = "the " + from + (url.is_string() ? " (" + url.get<std::string>() + ")" : "");
        auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& p) { return p.first == where; });
        if (g == groups.end())
            groups.emplace_back(where, field);
        else
            g->second += std::string(", ") + field;
    }
    std::string out;
    for (const auto& [where, fields] : groups) out += (out.empty() ? "" : "; ") + fields + " from " + where;
    return out;
}

void JsonArrayWriter::add(const nlohmann::json& element) {
    const std::string text = element.dump(2);
    const std::string prefix(static_cast<std::size_t>(m_indent) + 2, ' ');
    std::string chunk = (m_empty ? "[\n" : ",\n") + prefix;
    chunk.reserve(text.size() + text.size() / 8);
    std::size_t from = 0;
    for (auto nl = text.find('\n'); nl != std::string::npos; from = nl + 1, nl = text.find('\n', from))
        chunk.append(text, from, nl + 1 - from).append(prefix);
    chunk.append(text, from);
    m_out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    m_empty = false;
}

void JsonArrayWriter::finish() {
    if (m_empty)
        m_out << "[]";
    else
        m_out << "\n" << std::string(static_cast<std::size_t>(m_indent), ' ') << "]";
    if (m_indent == 0) m_out << "\n";
}

std::string embargo_mark(const StoredAssessment& a) {
    auto until = embargoed_until(a);
    return until ? "[embargoed until " + uk_time(*until) + "]" : std::string();
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string assessment_csv_header() {
    std::string h =
        "id,authority,ons_code,published,updated,rating,indicative,percentage,stated_percentage,"
        "computed_percentage";
    for (std::size_t i = 0; i < k_statement_count; ++i) h += "," + std::string(to_key(statement_at(i)));
    return h +
           ",report_url,summary_url,press_release_url,withdrawn,first_seen,last_changed,embargoed,embargo_until,"
           "conflicts,percentage_basis\r\n";
}

std::string assessment_csv_row(const StoredAssessment& a) {
    auto num = [](const std::optional<double>& d) { return d ? fixed1(*d) : std::string(); };
    const Assessment& v = a.assessment;
    std::vector<std::string> f = {std::to_string(a.id),
                                  a.authority.name,
                                  a.authority.code,
                                  a.published ? a.published->iso() : "",
                                  a.updated ? a.updated->iso() : "",
                                  v.rating ? std::string(to_key(*v.rating)) : "",
                                  v.indicative ? "true" : "false",
                                  v.percentage() ? std::to_string(*v.percentage()) : "",
                                  num(v.stated_percentage),
                                  num(a.computed_percentage)};
    for (const auto& s : v.scores) f.push_back(s ? std::to_string(*s) : "");
    for (const auto* u : {&v.report_url, &a.summary_url, &a.press_release_url}) f.push_back(u->value_or(""));
    f.push_back(a.withdrawn ? "true" : "false");
    f.push_back(rfc3339(a.first_seen));
    f.push_back(rfc3339(a.last_changed));
    auto until = embargoed_until(a);
    f.push_back(until ? "true" : "false");
    f.push_back(until ? rfc3339(*until) : "");
    f.push_back(a.conflicts.empty() ? "" : conflicts_text(a.conflicts));
    f.push_back(v.percentage_basis() ? std::string(to_key(*v.percentage_basis())) : "");
    std::string row;
    for (std::size_t i = 0; i < f.size(); ++i) row += (i ? "," : "") + csv_field(f[i]);
    return row + "\r\n";
}

std::string compact_scores(const Scores& s) {
    std::string out;
    std::optional<Theme> theme;
    for (std::size_t i = 0; i < k_statement_count; ++i) {
        Theme t = theme_of(statement_at(i));
        if (theme && *theme != t) out += ' ';
        theme = t;
        out += s[i] ? static_cast<char>('0' + *s[i]) : '-';
    }
    return out;
}

std::string utc_time(TimePoint t) {
    return date::format("%Y-%m-%d %H:%M:%S UTC", std::chrono::floor<std::chrono::seconds>(t));
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    auto measure = [&width](const std::vector<std::string>& r) {
        for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
    };
    measure(header);
    for (const auto& r : rows) measure(r);
    auto print = [&](const std::vector<std::string>& r) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
        }
        out << line << "\n";
    };
    print(header);
    for (const auto& r : rows) print(r);
}

}  // namespace cqcwatch
