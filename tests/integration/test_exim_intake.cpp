// Embargoed releases arriving through Debian's own Exim (tests/support/exim.hpp),
// set up by the README's steps, into the daemon as the shipped unit runs it:
// another uid than Exim's, the spool's group as its only extra group
// (DynamicUser= + SupplementaryGroups=cqcwatch-mail), its database in a 0700
// state directory that no MTA user can open.
//
// (a) swaks -> Exim -> an /etc/aliases pipe into `cqcwatch ingest --spool`
//     (which cannot open the database, so it drops the release into the spool)
//     -> the running daemon, whose lift alert also goes out by email through the
//     same Exim; (b) Exim's appendfile maildir transport into the
//     spool the daemon watches, its new/ cur/ tmp/ made by Exim at the first
//     delivery. In both, embargo.lifted reaches the webhook at the lift and not
//     before. Embargo lines have minute precision: the lift is the next whole
//     minute at least 8 s away, so each case takes up to about 75 s.

#include <pwd.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/daemon_harness.hpp"
#include "support/embargo_release.hpp"
#include "support/exim.hpp"

namespace t = cqcwatch::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr uid_t k_nobody = 65534;  // the daemon's uid here, as systemd's DynamicUser= gives it one of its own

/// The daemon, its receiver and its files, in a directory Exim's users can reach.
struct IntakeRig {
    t::TempDir dir{"exim-in"};
    t::Receiver receiver;
    t::ConfigSpec spec;
    std::string spool = dir.file("spool");  // /var/spool/cqcwatch
    std::string bin = dir.file("bin/cqcwatch");
    t::SysSeconds lift = t::next_lift();

    IntakeRig() {
        // The installed binary (a build tree may be out of reach of Exim's users).
        fs::create_directories(dir.file("bin"));
        fs::copy_file(CQCWATCH_BIN, bin);
        fs::permissions(bin, fs::perms(0755));
        // With its mail module where an install puts it: <prefix>/lib/cqcwatch/ beside <prefix>/bin.
        fs::create_directories(dir.file("lib/cqcwatch"));
        fs::copy_file(CQCWATCH_MIME_MODULE, dir.file("lib/cqcwatch/cqcwatch-mime.so"));
        fs::permissions(dir.file("lib/cqcwatch/cqcwatch-mime.so"), fs::perms(0644));
        // StateDirectory=: 0700, the service's own uid.
        fs::create_directories(dir.file("state"));
        fs::permissions(dir.file("state"), fs::perms(0700));
        if (::chown(dir.file("state").c_str(), k_nobody, k_nobody) != 0) throw std::runtime_error("chown state");
        // The webhook secret, as LoadCredential= would give it: the service's alone.
        t::write_file(dir.file("hook.secret"), receiver.secret());
        fs::permissions(dir.file("hook.secret"), fs::perms(0600));
        if (::chown(dir.file("hook.secret").c_str(), k_nobody, k_nobody) != 0) throw std::runtime_error("chown secret");
        spec.database = dir.file("state/history.db");
        spec.daemon["embargo_prepare"] = "\"3s\"";
        spec.blocks.push_back("[[source]]\nname = \"cqc-mail\"\nkind = \"maildir\"\npath = \"" + spool + "\"\n");
        spec.blocks.push_back(t::webhook_notifier("newsdesk", receiver.url(), dir.file("hook.secret"),
                                                  "events = [\"embargo.lifted\"]\n"));
    }
    std::string config() const { return dir.file("config.toml"); }
    /// `cqcwatch run` as its own uid with the spool's group only, as the shipped unit runs it.
    std::unique_ptr<t::DaemonProcess> start(gid_t spool_group) const {
        t::write_file(config(), spec.text());
        return std::make_unique<t::DaemonProcess>(
            config(), dir.file("daemon.stderr"), std::map<std::string, std::string>{}, std::vector<std::string>{},
            std::vector<std::string>{"/usr/bin/setpriv", "--reuid=" + std::to_string(k_nobody),
                                     "--regid=" + std::to_string(k_nobody), "--groups=" + std::to_string(spool_group),
                                     "--pdeathsig=SIGKILL", "--", bin});
    }
    /// The release for `lift`, as CQC's press office mails it.
    std::string release_file() const {
        std::string path = dir.file("release.eml");
        t::write_file(
            path,
            t::release_email(lift, "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/walsall"));
        return path;
    }
    double lift_unix() const { return static_cast<double>(lift.time_since_epoch().count()); }
};

std::vector<fs::path> files_in(const fs::path& d) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec)) out.push_back(e.path());
    return out;
}

/// Nothing before the lift instant; embargo.lifted for Walsall after it, once, signed.
void check_lift(const IntakeRig& r, t::DaemonProcess& daemon, const t::Exim& exim) {
    INFO("lift " << r.lift_unix() << " (" << t::embargo_line(r.lift) << ")");
    bool armed = daemon.wait_stderr("event embargo.scheduled", 30s);
    INFO(daemon.stderr_text() << exim.logs());
    REQUIRE(armed);
    // The release was handled before its lift, or this test proves nothing about "not before".
    REQUIRE(t::unix_now() < r.lift_unix());
    CHECK(r.receiver.posts().empty());
    REQUIRE(t::wait_until([&] { return !r.receiver.delivered().empty(); }, 100s));
    CHECK(daemon.wait_stderr("embargo lifted:", 10s));
    std::this_thread::sleep_for(2s);  // room for a second message, if there were one
    auto posts = r.receiver.posts();
    INFO(posts.dump(1));
    REQUIRE(posts.size() == 1);
    CHECK(posts[0]["arrival"].get<double>() >= r.lift_unix());
    CHECK(t::event_type_of(posts[0]) == "embargo.lifted");
    CHECK(posts[0]["signature_ok"] == true);
    auto body = t::body_of(posts[0]);
    CHECK(body["authority"]["name"] == "Walsall");
    CHECK(body["assessment"]["rating"] == "requires_improvement");
    CHECK(t::scores_of(body["assessment"]) == std::vector<int>{2, 2, 3, 2, 2, 2, 2, 2, 3});
    CHECK(body["embargo"]["until"] == date::format("%Y-%m-%dT%H:%M:%SZ", r.lift));
    CHECK(body.value("late", true) == false);
}

/// The message's owner and mode, "Debian-exim 640".
std::string owner_and_mode(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return "missing";
    const passwd* pw = ::getpwuid(st.st_uid);
    std::string owner = pw ? pw->pw_name : std::to_string(st.st_uid);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", st.st_mode & 07777);
    return owner + " " + mode;
}

/// swaks mails the release to cqc-embargo@localhost; Exim hands it over by `route` ("R=… T=…" in its
/// log); the daemon lifts it on time and keeps the message in cur/ as Exim's user wrote it.
void mail_and_lift(const IntakeRig& r, const t::Exim& exim, t::DaemonProcess& daemon, const std::string& route) {
    auto sent = exim.send("press@cqc.example.org", "cqc-embargo@localhost", r.release_file());
    INFO(sent.out << sent.err);
    REQUIRE(sent.code == 0);
    bool handed_over = exim.wait_log(route, 30s);
    INFO(exim.logs() << daemon.stderr_text());
    REQUIRE(handed_over);
    check_lift(r, daemon, exim);
    CHECK(files_in(r.spool + "/new").empty());
    auto taken = files_in(r.spool + "/cur");
    REQUIRE(taken.size() == 1);
    CHECK(owner_and_mode(taken[0]) == "Debian-exim 640");
    CHECK(files_in(r.spool + "/failed").empty());
}

}  // namespace

TEST_CASE("exim: a release mailed to an /etc/aliases pipe into ingest --spool - the daemon lifts it on time",
          "[integration][exim][embargo]") {
    IntakeRig r;
    // The README's steps for Exim (the spool as the package's tmpfiles.d makes it).
    const std::string steps = "for d in '' tmp new cur failed; do install -d -m 2770 -g cqcwatch-mail " + r.spool +
                              "/$d; done\n"
                              "cat >> /etc/exim4/exim4.conf.localmacros <<'EOF'\n"
                              "SYSTEM_ALIASES_PIPE_TRANSPORT = address_pipe\n"
                              "SYSTEM_ALIASES_GROUP = cqcwatch-mail\n"
                              "EOF\n"
                              "echo 'cqc-embargo: \"|" +
                              r.bin + " ingest --config " + r.config() + " --spool " + r.spool +
                              "\"' >> /etc/aliases\n"
                              "update-exim4.conf\n";
    // And the newsdesk's mailbox on the same Exim, for the lift alert by email.
    const std::string mailbox = r.dir.file("mailbox");
    t::Exim exim(r.dir, steps + t::newsdesk_mailbox_steps(mailbox));
    r.spec.blocks.push_back(t::email_notifier("newsdesk-mail", exim.smtp_url(), "", "events = [\"embargo.lifted\"]\n"));
    auto daemon = r.start(exim.gid_of("cqcwatch-mail"));
    REQUIRE(daemon->wait_stderr("maildir cqc-mail: watching", 20s));

    // ingest cannot open the service's database: it spools the release, the daemon takes it to cur/.
    mail_and_lift(r, exim, *daemon, "R=system_aliases T=address_pipe");
    // The lift alert by email too, through the same Exim, as Python's email reads it.
    REQUIRE(t::wait_until([&] { return !t::maildir_messages(mailbox).empty(); }, 30s));
    auto mails = t::maildir_messages(mailbox);
    REQUIRE(mails.size() == 1);
    auto checked = t::check_alert_mail(r.dir, mails[0], "Walsall");
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}

TEST_CASE("exim: a release delivered by Exim's maildir transport into the spool it creates - lifted on time",
          "[integration][exim][embargo]") {
    IntakeRig r;
    // The README's steps for a direct Maildir delivery (split configuration: a router and a transport).
    const std::string steps = "install -d -m 2770 -g cqcwatch-mail " + r.spool +
                              "\n"
                              "sed -i \"s/^dc_use_split_config=.*/dc_use_split_config='true'/\" "
                              "/etc/exim4/update-exim4.conf.conf\n"
                              "cat > /etc/exim4/conf.d/router/350_cqcwatch <<'EOF'\n"
                              "cqcwatch_spool:\n"
                              "  driver = accept\n"
                              "  domains = +local_domains\n"
                              "  local_parts = cqc-embargo\n"
                              "  transport = cqcwatch_spool\n"
                              "EOF\n"
                              "cat > /etc/exim4/conf.d/transport/30_cqcwatch <<'EOF'\n"
                              "cqcwatch_spool:\n"
                              "  driver = appendfile\n"
                              "  directory = " +
                              r.spool +
                              "\n"
                              "  maildir_format\n"
                              "  create_directory\n"
                              "  user = Debian-exim\n"
                              "  group = cqcwatch-mail\n"
                              "  mode = 0640\n"
                              "  directory_mode = 2770\n"
                              "EOF\n"
                              "update-exim4.conf\n";
    t::Exim exim(r.dir, steps);
    auto daemon = r.start(exim.gid_of("cqcwatch-mail"));
    REQUIRE(daemon->wait_stderr("maildir cqc-mail: watching", 20s));
    REQUIRE(!fs::exists(r.spool + "/new"));  // Exim makes the Maildir at its first delivery

    mail_and_lift(r, exim, *daemon, "R=cqcwatch_spool T=cqcwatch_spool");
    CHECK(daemon->stderr_text().find("is now a Maildir (new/ appeared)") != std::string::npos);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_exit(10s) == std::optional<int>(0));
}
