// Alert delivery on loopback, in process: a real Store (SQLite file in a temp
// dir), the daemon's Outbox and the signed WebhookNotifier on one io_context
// and CurlMulti, and a small Beast HTTP receiver on its own thread that stamps
// each request's arrival.
//
//   latency:    commit an event (Store::record_event returns after COMMIT), kick
//               the outbox, wait for it to be sent; commit → arrival, N times.
//   throughput: commit N events, then time the outbox draining all of them.
//   lift:       M embargoes stored; a WallTimer fires at an instant chosen to the
//               millisecond, Store::lift_embargo + Outbox::kick run at once (as the
//               daemon's lift does); the lift instant → arrival of embargo.lifted.
//
// Usage: bench_deliver [N [M]]   (default 1000 events, 100 lifts)

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "daemon/clock.hpp"
#include "daemon/outbox.hpp"
#include "store/store.hpp"
#include "daemon/wall_timer.hpp"
#include "fetchers/asio.hpp"
#include "fetchers/curl_http_client.hpp"
#include "fetchers/curl_multi.hpp"
#include "notifiers/factory.hpp"
#include "parsers/authorities.hpp"

using namespace cqcwatch;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;
using Wall = std::chrono::system_clock;

namespace {

/// Loopback HTTP/1.1 receiver: one thread per connection, arrival stamped before the reply.
class Receiver {
public:
    Receiver() : m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        m_thread = std::thread([this] { accept_loop(); });
    }
    ~Receiver() {
        // close() alone does not wake a thread blocked in accept(); shutdown() does.
        ::shutdown(m_acceptor.native_handle(), SHUT_RDWR);
        boost::system::error_code ec;
        m_acceptor.close(ec);
        m_thread.join();
        // Each session reads from a socket on m_io: wake it and wait for it before m_io goes
        // (detached, one could outlive m_io and the arrivals map: heap corruption between runs).
        // The sockets stay open until here, so each fd is still its own.
        for (auto& socket : m_sockets) ::shutdown(socket->native_handle(), SHUT_RDWR);
        for (auto& t : m_sessions) t.join();
    }
    int port() const { return m_acceptor.local_endpoint().port(); }
    std::size_t count() const { return m_count.load(); }
    /// Arrival (steady and wall) of the request carrying this delivery id.
    std::pair<Steady::time_point, Wall::time_point> arrival(const std::string& id) {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_arrivals[id];
    }

private:
    void accept_loop() {
        while (true) {
            auto socket = std::make_unique<tcp::socket>(m_io);
            boost::system::error_code ec;
            m_acceptor.accept(*socket, ec);
            if (ec) return;
            tcp::socket& s = *socket;
            m_sockets.push_back(std::move(socket));
            m_sessions.emplace_back([this, &s] { serve(s); });
        }
    }
    void serve(tcp::socket& socket) {
        socket.set_option(tcp::no_delay(true));
        boost::beast::flat_buffer buffer;
        while (true) {
            http::request<http::string_body> req;
            boost::system::error_code ec;
            http::read(socket, buffer, req, ec);
            if (ec) return;
            auto steady = Steady::now();
            auto wall = Wall::now();
            std::string id(req["X-Cqcwatch-Delivery"]);
            if (!id.empty()) {  // prepare() may open the connection with a request of its own
                std::lock_guard<std::mutex> lock(m_mutex);
                m_arrivals[id] = {steady, wall};
                ++m_count;
            }
            http::response<http::string_body> res{http::status::ok, req.version()};
            res.set(http::field::content_type, "application/json");
            res.body() = "{\"ok\":true}";
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            http::write(socket, res, ec);
            if (ec) return;
        }
    }

    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    std::vector<std::unique_ptr<tcp::socket>> m_sockets;  ///< one per session, closed after it is joined
    std::thread m_thread;
    std::vector<std::thread> m_sessions;
    std::mutex m_mutex;
    std::map<std::string, std::pair<Steady::time_point, Wall::time_point>> m_arrivals;
    std::atomic<std::size_t> m_count{0};
};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

void report(const char* what, const std::vector<double>& ms) {
    std::printf("%-34s n=%zu  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", what, ms.size(), percentile(ms, 0.5),
                percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()));
}

/// Everything one measurement needs, torn down in order.
struct Rig {
    explicit Rig(const std::string& dir, const std::string& name)
        : store(Store::open_or_throw(dir + "/" + name + ".db", StoreMode::read_write)) {
        NotifierConfig nc;
        nc.name = "bench";
        nc.kind = "webhook";
        nc.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
        nc.secret = Secret("bench-secret");
        NotifierDeps deps{
            io, curl, http_client,
            [] { return std::chrono::duration_cast<std::chrono::seconds>(Wall::now().time_since_epoch()).count(); }};
        auto made = make_notifier(nc, deps);
        if (!made) throw std::runtime_error(made.error());
        notifier = std::move(*made);
        outbox = std::make_unique<Outbox>(io, store, clock, jitter,
                                          std::map<std::string, Notifier*>{{"bench", notifier.get()}});
    }
    ~Rig() { outbox->stop(); }
    RecordContext context(bool only_lifts = false) const {
        RecordContext ctx;
        ctx.now = Wall::now();
        ctx.source = "bench";
        ctx.route = [only_lifts](const Event& e) {
            if (only_lifts && e.type != "embargo.lifted") return std::vector<std::string>{};
            return std::vector<std::string>{"bench"};
        };
        return ctx;
    }
    /// Runs the loop until `done` or 30 s.
    bool run_until(const std::function<bool()>& done) {
        auto deadline = Steady::now() + std::chrono::seconds(30);
        io.restart();
        while (!done()) {
            if (Steady::now() > deadline) return false;
            io.run_one_for(std::chrono::milliseconds(5));
        }
        return true;
    }

    Receiver receiver;
    asio::io_context io;
    CurlMulti curl{io};
    CurlHttpClient http_client{curl};
    Store store;
    SystemClock clock;
    RandomJitter jitter;
    std::unique_ptr<Notifier> notifier;
    std::unique_ptr<Outbox> outbox;
};

Event commit_event(Rig& rig, int i) {
    auto ev =
        rig.store.record_event("source.failing", {{"source", {{"name", "bench-" + std::to_string(i)}}}}, rig.context());
    if (!ev) throw std::runtime_error(ev.error().message);
    return *ev;
}

void bench_latency(const std::string& dir, int n) {
    Rig rig(dir, "latency");
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        Event ev = commit_event(rig, i);
        auto committed = Steady::now();
        rig.outbox->kick();
        std::size_t want = static_cast<std::size_t>(i) + 1;
        if (!rig.run_until([&] { return rig.receiver.count() >= want && rig.outbox->drained(); }))
            throw std::runtime_error("latency: event " + std::to_string(i) + " not delivered in 30 s");
        auto at = rig.receiver.arrival(ev.id).first;
        ms.push_back(std::chrono::duration<double, std::milli>(at - committed).count());
    }
    report("commit -> webhook arrival", ms);
    std::fflush(stdout);
}

void bench_throughput(const std::string& dir, int n) {
    Rig rig(dir, "throughput");
    for (int i = 0; i < n; ++i) commit_event(rig, i);
    auto start = Steady::now();
    rig.outbox->kick();
    if (!rig.run_until([&] { return rig.receiver.count() >= static_cast<std::size_t>(n) && rig.outbox->drained(); }))
        throw std::runtime_error("throughput: not drained in 30 s");
    double s = std::chrono::duration<double>(Steady::now() - start).count();
    std::printf("%-34s %d deliveries in %.3f s = %.0f deliveries/s\n", "outbox drain (queued)", n, s, n / s);
}

/// Stores one embargoed release per council; returns the embargo ids.
std::vector<std::int64_t> store_embargoes(Rig& rig, int m) {
    std::vector<std::int64_t> ids;
    const auto& all = Authorities::builtin().all();
    for (int i = 0; i < m && i < static_cast<int>(all.size()); ++i) {
        ParseResult doc;
        doc.kind = DocKind::press_release;
        doc.title = "CQC rates " + all[i].name;
        doc.url = "https://www.cqc.org.uk/press-release/bench-" + std::to_string(i);
        doc.authority = AuthorityRef{all[i].name, all[i].code, all[i].name};
        Assessment a;
        a.rating = Rating::requires_improvement;
        for (auto& s : a.scores) s = 2;
        doc.assessment = a;
        Embargo e;
        e.until_unix = std::chrono::duration_cast<std::chrono::seconds>(Wall::now().time_since_epoch()).count() + 86400;
        e.until_utc = "2099-01-01T00:01:00Z";
        e.line = "Press release embargoed until 00.01hrs";
        doc.embargo = e;
        auto r = rig.store.record_document(doc, rig.context(true));
        if (!r || !r->embargo_id) throw std::runtime_error("store_embargoes: not stored");
        ids.push_back(*r->embargo_id);
    }
    return ids;
}

void bench_lifts(const std::string& dir, int m) {
    Rig rig(dir, "lifts");
    auto ids = store_embargoes(rig, m);
    WallTimer timer(rig.io);
    std::vector<double> ms;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        // An instant 150 ms ahead, like the daemon's timer for a stored lift.
        auto instant = Wall::now() + std::chrono::milliseconds(150);
        std::string lifted_id;
        Event preview;
        preview.type = "embargo.lifted";
        rig.notifier->prepare(preview);
        timer.async_wait_until(instant, [&](bool fired) {
            if (!fired) return;
            auto lifted = rig.store.lift_embargo(ids[i], rig.context(true), LiftKind::on_time);
            if (lifted && *lifted) lifted_id = (*lifted)->id;
            rig.outbox->kick();
        });
        std::size_t want = i + 1;
        if (!rig.run_until([&] { return rig.receiver.count() >= want && rig.outbox->drained(); }))
            throw std::runtime_error("lift " + std::to_string(i) + " not delivered in 30 s");
        auto at = rig.receiver.arrival(lifted_id).second;
        ms.push_back(std::chrono::duration<double, std::milli>(at - instant).count());
    }
    report("lift instant -> webhook arrival", ms);
}

}  // namespace

int main(int argc, char** argv) {
    int n = argc > 1 ? std::atoi(argv[1]) : 1000;
    int m = argc > 2 ? std::atoi(argv[2]) : 100;
    spdlog::set_level(spdlog::level::warn);  // one info line per delivery would cost more than the delivery
    std::string tmpl = (std::filesystem::temp_directory_path() / "cqcwatch-bench-deliver-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return 1;
    int code = 0;
    try {
        if (n > 0) bench_latency(tmpl, n);
        if (n > 0) bench_throughput(tmpl, n);
        if (m > 0) bench_lifts(tmpl, m);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_deliver: %s\n", e.what());
        code = 1;
    }
    std::error_code ec;
    std::filesystem::remove_all(tmpl, ec);
    return code;
}
