#include <signal.h>

#include <catch2/catch.hpp>

#include "notifiers/exec.hpp"
#include "support/notify_test_util.hpp"
#include "support/sample_event.hpp"

using namespace cqcwatch;
using namespace std::chrono_literals;

namespace {

NotifierConfig exec_config(std::vector<std::string> argv, std::chrono::milliseconds timeout = 10s) {
    NotifierConfig c;
    c.name = "script";
    c.kind = NotifierKind::exec;
    c.command = std::move(argv);
    c.timeout = timeout;
    return c;
}

DeliveryResult run_once(const NotifierConfig& c, const Event& e = test::walsall_event()) {
    asio::io_context io;
    ExecNotifier n(c, io);
    std::optional<DeliveryResult> got;
    n.send(e, [&](DeliveryResult r) { got = std::move(r); });
    REQUIRE(test::run_until(io, [&] { return got.has_value(); }));
    return *got;
}

}  // namespace

TEST_CASE("notifiers exec: the command gets the event JSON on stdin", "[notifiers][exec]") {
    test::TempDir dir;
    auto out = dir.path() / "event.json";
    auto e = test::walsall_event();
    auto r = run_once(exec_config({"/bin/sh", "-c", "cat > \"$0\"", out.string()}), e);
    REQUIRE(r.has_value());
    CHECK(*r == "exit 0");
    CHECK(nlohmann::json::parse(test::read_file(out)) == e.body);
}

TEST_CASE("notifiers exec: a non-zero exit is transient with the first stderr line", "[notifiers][exec]") {
    auto r = run_once(exec_config({"/bin/sh", "-c", "echo '  disk full' >&2; echo second >&2; exit 3"}));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::transient);
    CHECK(r.error().message == "command exited with status 3: disk full");
}

TEST_CASE("notifiers exec: a command past its timeout is killed with its children", "[notifiers][exec]") {
    test::TempDir dir;
    auto marker = dir.path() / "survived";
    // The grandchild would write the marker after 2 s unless the whole group dies.
    auto r = run_once(exec_config({"/bin/sh", "-c", "(sleep 2; touch \"$0\") & sleep 30", marker.string()}, 300ms));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::transient);
    CHECK(r.error().message == "timed out after 300 ms; killed");
    std::this_thread::sleep_for(2500ms);
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("notifiers exec: a missing command is permanent", "[notifiers][exec]") {
    auto r = run_once(exec_config({"/nonexistent/cqcwatch-hook"}));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == DeliveryFailureKind::permanent);
    CHECK(r.error().message == "cannot run '/nonexistent/cqcwatch-hook': No such file or directory");
    auto empty = run_once(exec_config({}));
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().kind == DeliveryFailureKind::permanent);
}

TEST_CASE("notifiers exec: a command that ignores stdin still succeeds", "[notifiers][exec]") {
    auto e = test::walsall_event();
    e.body["padding"] = std::string(1 << 20, 'x');  // more than a pipe holds
    auto r = run_once(exec_config({"/bin/true"}), e);
    CHECK(r.has_value());
}

TEST_CASE("notifiers exec: destroying the notifier kills a running command", "[notifiers][exec]") {
    test::TempDir dir;
    auto pid_file = dir.path() / "pid";
    asio::io_context io;
    {
        ExecNotifier n(exec_config({"/bin/sh", "-c", "echo $$ > \"$0.tmp\"; mv \"$0.tmp\" \"$0\"; exec sleep 30",
                                    pid_file.string()}),
                       io);
        n.send(test::walsall_event(), [](DeliveryResult) { FAIL("must not be called"); });
        REQUIRE(test::run_until(
            io, [&] { return std::filesystem::exists(pid_file); }, 20s));
    }
    pid_t pid = std::stoi(test::read_file(pid_file));
    CHECK(::kill(pid, 0) == -1);  // killed and reaped: no such process
    io.restart();
    io.run_for(50ms);  // handlers left behind must not call back
}
