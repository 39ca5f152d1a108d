// GMime and its GLib stack live in cqcwatch-mime.so, loaded only when a message is read or
// written: the commands without mail work never map them, and without the module (missing or
// broken) mail is kept, never lost, and the error names the module and what could not be done.

#include <filesystem>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/parser_fixtures.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// What the dynamic loader loaded for `cqcwatch args…` (LD_DEBUG=files prints every object it maps).
std::string objects_loaded(const std::vector<std::string>& args, const t::TempDir& dir) {
    auto r = t::run_cqcwatch(args, dir, {{"LD_DEBUG", "files"}});
    INFO(r.out << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
    REQUIRE(r.code == 0);
    return r.err;
}

bool maps(const std::string& loader_log, const std::string& soname) {
    return loader_log.find("file=" + soname) != std::string::npos;
}

/// A copy of the real binary in <dir>/bin, where the module would be <dir>/lib/cqcwatch/cqcwatch-mime.so.
std::string binary_without_module(const t::TempDir& dir) {
    fs::create_directories(dir.file("bin"));
    const std::string bin = dir.file("bin/cqcwatch");
    fs::copy_file(CQCWATCH_BIN, bin, fs::copy_options::overwrite_existing);
    return bin;
}

std::string module_beside(const t::TempDir& dir) { return dir.file("lib/cqcwatch/cqcwatch-mime.so"); }

std::string release(const t::TempDir& dir) {
    std::string path = dir.file("release.eml");
    t::write_file(path, t::parser_fixture("mail-mbox-from.eml"));
    return path;
}

}  // namespace

TEST_CASE("mail_module: reading mail maps GMime - --version, history and a config of plain addresses do not",
          "[integration][mail_module]") {
    t::TempDir dir("mailmod");
    // The example config's shape: a listing, a webhook and an e-mail notifier with plain addresses.
    t::write_file(dir.file("config.toml"),
                  "[daemon]\ndatabase = \"" + dir.file("h.db") +
                      "\"\nuser_agent_contact = \"ops@example.org\"\n\n[[source]]\nname = \"reports\"\nkind = "
                      "\"listing\"\nurl = \"https://www.cqc.org.uk/care-services/"
                      "local-authority-assessment-reports\"\n\n[[notifier]]\nname = \"editor\"\nkind = \"email\"\n"
                      "smtp_url = \"smtp://127.0.0.1:25\"\nfrom = \"cqcwatch@example.org\"\nto = "
                      "[\"editor@example.org\"]\n");
    // Reading a press release loads the module, and GMime with it, from beside the binary.
    const std::string log = objects_loaded({"ingest", "--database", dir.file("h.db"), release(dir)}, dir);
    CHECK(log.find("cqcwatch-mime.so [0];  dynamically loaded by") != std::string::npos);
    CHECK(maps(log, "libgmime-3.0.so.0"));
    CHECK(t::history(dir, dir.file("h.db")).size() == 1);
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--version"},
                                               {"history", "--database", dir.file("h.db")},
                                               {"history", "--config", dir.file("config.toml")},
                                               {"check-config", "--config", dir.file("config.toml")}}) {
        const std::string loaded = objects_loaded(args, dir);
        INFO(args[0] << (args.size() > 1 ? " " + args[1] : ""));
        CHECK(maps(loaded, "libc.so.6"));  // the same log names what is mapped
        CHECK_FALSE(maps(loaded, "libgmime-3.0.so.0"));
        CHECK_FALSE(maps(loaded, "libglib-2.0.so.0"));
        CHECK_FALSE(maps(loaded, "libgobject-2.0.so.0"));
        CHECK_FALSE(maps(loaded, "libgio-2.0.so.0"));
    }
}

TEST_CASE(
    "mail_module: without the module ingest exits 75 (or spools) and names the module - with it the same "
    "message is stored",
    "[integration][mail_module]") {
    t::TempDir dir("mailmod");
    const std::string bin = binary_without_module(dir);
    const std::string message = release(dir);

    auto missing = t::run_program({bin, "ingest", "--database", dir.file("h.db"), message}, dir);
    INFO(missing.out << missing.err);
    CHECK(missing.code == 75);  // EX_TEMPFAIL: the MTA keeps the message and retries
    CHECK(missing.err.find(message + ": not stored, try again later: cannot read mail: " + module_beside(dir) +
                           ": cannot open shared object file") != std::string::npos);

    fs::create_directories(dir.file("lib/cqcwatch"));
    t::write_file(module_beside(dir), "not a shared object\n");
    auto broken = t::run_program({bin, "ingest", "--database", dir.file("h.db"), message}, dir);
    INFO(broken.out << broken.err);
    CHECK(broken.code == 75);
    CHECK(broken.err.find("cannot read mail: " + module_beside(dir) + ": ") != std::string::npos);

    // With --spool the message waits in the daemon's Maildir, byte for byte.
    const std::string spool = dir.file("spool");
    for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(spool + "/" + sub);
    auto spooled = t::run_program({bin, "ingest", "--database", dir.file("h.db"), "--spool", spool, message}, dir);
    INFO(spooled.out << spooled.err);
    CHECK(spooled.code == 0);
    std::vector<fs::path> waiting;
    for (const auto& e : fs::directory_iterator(spool + "/new")) waiting.push_back(e.path());
    REQUIRE(waiting.size() == 1);
    CHECK(t::read_file(waiting[0]) == t::read_file(message));
    CHECK(t::history(dir, dir.file("h.db")).empty());

    auto real = t::run_cqcwatch({"ingest", "--database", dir.file("h.db"), waiting[0].string()}, dir);
    INFO(real.out << real.err);
    CHECK(real.code == 0);
    CHECK(t::history(dir, dir.file("h.db")).size() == 1);
}

TEST_CASE(
    "mail_module: a daemon without the module keeps dropped mail in place and the e-mail alert in the "
    "outbox - restarted with it both go through",
    "[daemon][e2e][mail_module]") {
    t::Rig rig;
    const std::string drop = rig.dir.file("drop");
    const std::string mailbox = rig.dir.file("smtp");
    fs::create_directories(drop);
    fs::create_directories(mailbox);
    t::PythonServer smtp({std::string(CQCWATCH_TOOLS_DIR) + "/smtp_server.py", "--dir", mailbox});
    rig.spec.blocks.push_back(t::listing_source("reports", rig.listing_url()));
    rig.spec.blocks.push_back("[[source]]\nname = \"press-mail\"\nkind = \"maildir\"\npath = \"" + drop +
                              "\"\ndone_dir = \"" + rig.dir.file("done") + "\"\nfailed_dir = \"" +
                              rig.dir.file("failed") + "\"\n");
    rig.spec.blocks.push_back("[[notifier]]\nname = \"editor\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1:" +
                              std::to_string(smtp.port()) +
                              "\"\nfrom = \"cqcwatch@example.org\"\nto = [\"editor@example.org\"]\n"
                              "events = [\"assessment.published\"]\n");
    rig.write_config();
    const std::string bin = binary_without_module(rig.dir);
    std::string pending_event;
    {
        t::DaemonProcess daemon(rig.config_path(), rig.dir.file("daemon.stderr"), {}, {}, {bin});
        REQUIRE(daemon.wait_stderr("poll reports:", 20s));  // the empty baseline
        t::write_file(rig.dir.file("staged.eml"), t::parser_fixture("mail-mbox-from.eml"));
        fs::rename(rig.dir.file("staged.eml"), drop + "/release.eml");
        rig.site.publish(
            t::report("kent-1126", "Kent County Council", "requires_improvement", {2, 2, 3, 2, 2, 2, 2, 2, 3}));
        const std::string unreadable = "cannot read mail: " + module_beside(rig.dir) + ": ";
        const bool both = t::wait_until(
            [&] {
                const std::string err = daemon.stderr_text();
                return err.find("release.eml not read: " + unreadable) != std::string::npos &&
                       err.find("cannot write mail: " + module_beside(rig.dir) + ": ") != std::string::npos;
            },
            40s);
        INFO(daemon.stderr_text());
        REQUIRE(both);
        CHECK(fs::exists(drop + "/release.eml"));  // not moved to failed/
        CHECK((!fs::exists(rig.dir.file("failed")) || fs::is_empty(rig.dir.file("failed"))));
        auto pending = t::deliveries(rig.dir, rig.db(), "pending");
        REQUIRE(pending.size() == 1);
        CHECK(pending[0]["notifier"] == "editor");
        pending_event = pending[0]["event_id"].get<std::string>();
        CHECK(pending[0]["last_error"].get<std::string>().find("cannot write mail: " + module_beside(rig.dir)) !=
              std::string::npos);
        CHECK(fs::is_empty(mailbox));
        daemon.signal(SIGTERM);
        CHECK(daemon.wait_exit(10s) == std::optional<int>(0));
    }
    // The real binary (its module beside it): the kept message is read, the waiting alert sent.
    auto daemon = rig.start();
    const bool delivered = t::wait_until(
        [&] { return fs::exists(rig.dir.file("done/release.eml")) && fs::exists(mailbox + "/1.eml"); }, 40s);
    INFO(daemon->stderr_text());
    REQUIRE(delivered);
    auto sent = t::deliveries(rig.dir, rig.db(), "sent");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["event_id"] == pending_event);
    CHECK(t::read_file(mailbox + "/1.eml").find("Subject: CQC: Kent") != std::string::npos);
    bool walsall = false;
    for (const auto& row : rig.hist()) walsall = walsall || row.dump().find("Walsall") != std::string::npos;
    CHECK(walsall);  // the press release kept in the drop
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
