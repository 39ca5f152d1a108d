#pragma once
// The loopback CQC site (tests/tools/cqc_site.py) from C++: start it, steer it
// through its /_control endpoints, read its request log.

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_server.hpp"  // beside this file, so bench/ can include us by path too

namespace cqcwatch::test {

/// The path of the reports listing on the test site (as on cqc.org.uk).
inline const std::string k_listing_path = "/care-services/local-authority-assessment-reports";

/// A running cqc_site.py; `extra_args` e.g. {"--tls", cert, key} or {"--page-size", "5"}.
class CqcSite {
public:
    explicit CqcSite(std::vector<std::string> extra_args = {}, std::string ca_file = "")
        : m_tls(!extra_args.empty() && is_tls(extra_args)),
          m_ca_file(std::move(ca_file)),
          m_server(with_script(std::move(extra_args))) {}

    /// The port it listens on.
    int port() const { return m_server.port(); }
    /// "http(s)://127.0.0.1:<port><path>"
    std::string url(const std::string& path = "") const { return m_server.base_url(m_tls ? "https" : "http") + path; }
    /// POSTs JSON to /_control/<what>; throws when the site refuses it.
    void control(const std::string& what, const nlohmann::json& body) const {
        HttpReply r = http_post(url("/_control/" + what), body.dump(), m_ca_file);
        if (r.status != 200)
            throw std::runtime_error("cqc_site " + what + ": " + std::to_string(r.status) + " " + r.body + r.error);
    }
    /// Adds or replaces a report: {"slug","council","rating","scores":[9],"published", ...}, or a list of them.
    void publish(const nlohmann::json& report) const { control("publish", report); }
    /// Takes a report down.
    void withdraw(const std::string& slug) const { control("withdraw", {{"slug", slug}}); }
    /// Makes `path` misbehave ("500", "429", "hang", "huge", … or "none").
    void fault(const std::string& path, const std::string& kind,
               nlohmann::json extra = nlohmann::json::object()) const {
        extra["path"] = path;
        extra["fault"] = kind;
        control("fault", extra);
    }
    /// Initial reports, no faults, empty log.
    void reset() const { control("reset", nlohmann::json::object()); }
    /// Requests seen so far (control requests excluded), oldest first.
    nlohmann::json log() const {
        HttpReply r = http_get(url("/_control/log"), m_ca_file);
        if (r.status != 200) throw std::runtime_error("cqc_site log: " + r.error);
        return nlohmann::json::parse(r.body);
    }
    /// Stops the server now (the destructor also does).
    void stop() { m_server.stop(); }

private:
    static bool is_tls(const std::vector<std::string>& args) {
        for (const auto& a : args)
            if (a == "--tls") return true;
        return false;
    }
    static std::vector<std::string> with_script(std::vector<std::string> args) {
        args.insert(args.begin(), std::string(CQCWATCH_TOOLS_DIR) + "/cqc_site.py");
        return args;
    }

    bool m_tls;
    std::string m_ca_file;
    PythonServer m_server;
};

}  // namespace cqcwatch::test
