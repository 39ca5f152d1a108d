#include "parsers/report_url.hpp"

#include <cctype>

#include "parsers/document.hpp"

namespace cqcwatch {

namespace {

constexpr std::string_view k_reports_dir = "/local-authority-assessment-reports/";

bool is_scheme(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    return true;
}

bool default_port(std::string_view scheme, std::string_view port) {
    return port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
}

void split_authority(std::string_view authority, UrlParts& p) {
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        p.userinfo = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
    }
    std::string_view port;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        p.host = std::string(authority.substr(1, close == std::string_view::npos ? close : close - 1));
        if (close != std::string_view::npos && authority.substr(close + 1).starts_with(':'))
            port = authority.substr(close + 2);
    } else {
        auto colon = authority.rfind(':');
        p.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    p.host = ascii_lower(p.host);
    while (!p.host.empty() && p.host.back() == '.') p.host.pop_back();
    if (!default_port(p.scheme, port)) p.port = std::string(port);
}

std::string_view trim_slashes(std::string_view path) {
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    return path;
}

bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && ascii_lower(s.substr(s.size() - suffix.size())) == suffix;
}

struct ReportPath {
    ReportPage page = ReportPage::landing;
    std::string landing;  ///< the landing page's path, as written
};

// "…-theme<digit>…" in a slug: where it starts, or npos.
std::size_t theme_suffix(std::string_view lower_slug) {
    for (auto at = lower_slug.find("-theme"); at != std::string_view::npos; at = lower_slug.find("-theme", at + 1))
        if (at > 0 && at + 6 < lower_slug.size() && std::isdigit(static_cast<unsigned char>(lower_slug[at + 6])))
            return at;
    return std::string_view::npos;
}

std::optional<ReportPath> read_report_path(std::string_view path) {
    const std::string lower = ascii_lower(path);
    auto dir = lower.rfind(k_reports_dir);
    if (dir == std::string::npos) return std::nullopt;
    const std::size_t slug_at = dir + k_reports_dir.size();
    std::string_view tail = trim_slashes(path.substr(slug_at));
    if (tail == "/") return std::nullopt;
    auto slash = tail.find('/');
    std::string_view slug = tail.substr(0, slash);
    std::string_view sub = slash == std::string_view::npos ? std::string_view() : tail.substr(slash);
    if (slug.empty()) return std::nullopt;
    ReportPath r;
    const std::string lower_sub = ascii_lower(sub);
    const std::string lower_slug = ascii_lower(slug);
    if (lower_sub == "/summary") {
        r.page = ReportPage::summary;
    } else if (lower_sub.size() > 6 && lower_sub.starts_with("/theme") &&
               std::isdigit(static_cast<unsigned char>(lower_sub[6]))) {
        r.page = ReportPage::theme;
    } else if (!sub.empty()) {
        return std::nullopt;  // some other page under the report
    } else if (auto theme = theme_suffix(lower_slug); theme != std::string_view::npos) {
        r.page = ReportPage::theme;
        slug = slug.substr(0, theme);
    } else if (iends_with(slug, "-summary")) {
        r.page = ReportPage::summary;
        slug.remove_suffix(8);
    }
    r.landing = std::string(path.substr(0, slug_at)) + std::string(slug);
    return r;
}

// The landing path of any URL: a CQC report's, else the path minus a summary ending.
std::string landing_path(std::string_view path) {
    if (auto r = read_report_path(path)) return r->landing;
    std::string_view p = trim_slashes(path);
    for (std::string_view suffix : {"/summary", "-summary"})
        if (iends_with(p, suffix)) {
            p.remove_suffix(suffix.size());
            break;
        }
    return std::string(p);
}

}  // namespace

UrlParts split_url(std::string_view url) {
    UrlParts p;
    if (auto hash = url.find('#'); hash != std::string_view::npos) {
        p.fragment = std::string(url.substr(hash + 1));
        url = url.substr(0, hash);
    }
    if (auto q = url.find('?'); q != std::string_view::npos) {
        p.query = std::string(url.substr(q + 1));
        url = url.substr(0, q);
    }
    auto sep = url.find("://");
    if (sep != std::string_view::npos && is_scheme(url.substr(0, sep))) {
        p.scheme = ascii_lower(url.substr(0, sep));
        url.remove_prefix(sep + 3);
    } else if (url.starts_with("//")) {
        url.remove_prefix(2);
    } else {
        p.path = std::string(url);
        return p;
    }
    auto slash = url.find('/');
    split_authority(url.substr(0, slash), p);
    if (slash != std::string_view::npos) p.path = std::string(url.substr(slash));
    return p;
}

std::string strip_userinfo(std::string_view url) {
    auto sep = url.find("://");
    std::size_t start = sep == std::string_view::npos ? (url.starts_with("//") ? 2 : std::string_view::npos) : sep + 3;
    if (start == std::string_view::npos) return std::string(url);
    auto end = url.find_first_of("/?#", start);
    auto authority = url.substr(start, end == std::string_view::npos ? end : end - start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    return std::string(url.substr(0, start)) + std::string(url.substr(start + at + 1));
}

std::optional<ReportPage> report_url_page(std::string_view url) {
    auto r = read_report_path(split_url(url).path);
    if (!r) return std::nullopt;
    return r->page;
}

bool is_summary_url(std::string_view url) {
    const std::string path = split_url(url).path;
    if (auto r = read_report_path(path)) return r->page == ReportPage::summary;
    std::string_view p = trim_slashes(path);
    return iends_with(p, "/summary") || iends_with(p, "-summary");
}

std::string report_landing(std::string_view url) {
    UrlParts p = split_url(url);
    std::string path = landing_path(p.path);
    if (p.scheme.empty() && p.host.empty()) return path;
    std::string out = p.scheme.empty() ? "//" : p.scheme + "://";
    out += p.host.find(':') != std::string::npos ? "[" + p.host + "]" : p.host;
    if (!p.port.empty()) out += ":" + p.port;
    return out + path;
}

std::string report_key(std::string_view url) {
    std::string key = ascii_lower(landing_path(split_url(url).path));
    return key.empty() ? "/" : key;
}

bool is_summary_of(std::string_view link, std::string_view report_url) {
    return is_summary_url(link) && !is_summary_url(report_url) && report_key(link) == report_key(report_url);
}

}  // namespace cqcwatch
