#include "fetchers/curl_multi.hpp"

#include <optional>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace {

// libcurl's global state, set up once before the first multi handle.
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

}  // namespace

struct CurlMulti::Impl {
    using Clock = asio::steady_timer::clock_type;

    // One watched socket. libcurl owns the fd: we release it, never close it.
    struct Socket {
        Socket(asio::io_context& io, curl_socket_t fd) : sd(io, fd) {}
        asio::posix::stream_descriptor sd;
        int what = 0;
        bool released = false;  // set before Impl goes away, so late handlers never touch it
        bool reading = false;
        bool writing = false;
    };

    explicit Impl(asio::io_context& io_) : io(io_), timer(io_) {
        static CurlGlobal global;
        multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::socket_cb);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::timer_cb);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    }

    ~Impl() {
        timer.cancel();
        for (auto& [easy, done] : transfers) curl_multi_remove_handle(multi, easy);
        transfers.clear();
        for (auto& [fd, sock] : sockets) release(*sock);
        sockets.clear();
        curl_multi_cleanup(multi);
    }

    static int socket_cb(CURL*, curl_socket_t fd, int what, void* userp, void*) {
        static_cast<Impl*>(userp)->on_socket(fd, what);
        return 0;
    }

    static int timer_cb(CURLM*, long timeout_ms, void* userp) {
        static_cast<Impl*>(userp)->on_timer(timeout_ms);
        return 0;
    }

    static void release(Socket& sock) {
        boost::system::error_code ignored;
        sock.released = true;
        sock.sd.cancel(ignored);
        sock.sd.release();
    }

    void on_socket(curl_socket_t fd, int what) {
        if (what == CURL_POLL_REMOVE) {
            if (auto it = sockets.find(fd); it != sockets.end()) {
                release(*it->second);
                sockets.erase(it);
            }
            return;
        }
        auto& sock = sockets[fd];
        if (!sock) sock = std::make_shared<Socket>(io, fd);
        sock->what = what;
        arm(fd, sock);
    }

    // Waits for readiness in the directions libcurl asked for, once per direction.
    void arm(curl_socket_t fd, const std::shared_ptr<Socket>& sock) {
        if ((sock->what & CURL_POLL_IN) && !sock->reading) {
            sock->reading = true;
            sock->sd.async_wait(asio::posix::stream_descriptor::wait_read,
                                [this, fd, sock](const boost::system::error_code& ec) {
                                    sock->reading = false;
                                    if (!sock->released) on_ready(fd, sock, ec, CURL_CSELECT_IN);
                                });
        }
        if ((sock->what & CURL_POLL_OUT) && !sock->writing) {
            sock->writing = true;
            sock->sd.async_wait(asio::posix::stream_descriptor::wait_write,
                                [this, fd, sock](const boost::system::error_code& ec) {
                                    sock->writing = false;
                                    if (!sock->released) on_ready(fd, sock, ec, CURL_CSELECT_OUT);
                                });
        }
    }

    bool current(curl_socket_t fd, const std::shared_ptr<Socket>& sock) const {
        auto it = sockets.find(fd);
        return it != sockets.end() && it->second == sock;
    }

    void on_ready(curl_socket_t fd, const std::shared_ptr<Socket>& sock, const boost::system::error_code& ec,
                  int direction) {
        if (ec == asio::error::operation_aborted || !current(fd, sock)) return;  // libcurl moved on
        // Any other wait error is the socket's: let libcurl find out and fail the transfer.
        int running = 0;
        curl_multi_socket_action(multi, fd, ec ? CURL_CSELECT_ERR : direction, &running);
        collect();
        if (current(fd, sock)) arm(fd, sock);
    }

    // Every timer change costs Asio a timerfd_settime system call, and libcurl changes
    // its timer several times per transfer (it was a third of the CPU of an unchanged
    // poll). So "now" is a posted handler, and the timer is only moved earlier; when it
    // wakes before libcurl's latest deadline it re-arms for that deadline instead.
    void on_timer(long timeout_ms) {
        if (timeout_ms < 0) {
            // No timer at all: cancel the wait so that an idle loop runs out of work.
            wanted.reset();
            if (timer_pending) timer.cancel();
            timer_pending = false;
            return;
        }
        if (timeout_ms == 0) {
            wanted.reset();
            kick();
            return;
        }
        wanted = Clock::now() + std::chrono::milliseconds(timeout_ms);
        if (!timer_pending || timer.expiry() > *wanted) arm_timer(*wanted);
    }

    void kick() {
        if (kick_posted) return;
        kick_posted = true;
        asio::post(io, [this, alive = std::weak_ptr<int>(alive)] {
            if (alive.expired()) return;
            kick_posted = false;
            timeout_action();
        });
    }

    void arm_timer(Clock::time_point due) {
        timer_pending = true;
        timer.expires_at(due);
        timer.async_wait([this, alive = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
            if (ec == asio::error::operation_aborted || alive.expired()) return;  // moved or gone
            timer_pending = false;
            if (!wanted) return;
            if (*wanted > Clock::now()) return arm_timer(*wanted);
            wanted.reset();
            timeout_action();
        });
    }

    // A new transfer's request goes out now (on a reused connection: its send), not one
    // loop turn later behind whatever else is queued. Only what is due runs; transfers it
    // finishes are handed over from the loop (the kick), never inside start().
    void start_now() {
        int running = 0;
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        kick();
    }

    void timeout_action() {
        int running = 0;
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        collect();
    }

    // Hands finished transfers to their callbacks; a callback may start new ones.
    void collect() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            CURLcode result = msg->data.result;
            curl_multi_remove_handle(multi, easy);
            auto it = transfers.find(easy);
            if (it == transfers.end()) continue;
            Done done = std::move(it->second);
            transfers.erase(it);
            try {
                done(result);
            } catch (const std::exception& e) {
                spdlog::error("curl transfer callback threw: {}", e.what());
            }
        }
    }

    asio::io_context& io;
    asio::steady_timer timer;
    std::optional<Clock::time_point> wanted;                // libcurl's latest deadline, if any
    bool timer_pending = false;                             // a wait is armed on `timer`
    bool kick_posted = false;                               // a "time is up now" handler is queued
    std::shared_ptr<int> alive = std::make_shared<int>(0);  // expires with Impl, for queued timer handlers
    CURLM* multi = nullptr;
    std::unordered_map<curl_socket_t, std::shared_ptr<Socket>> sockets;
    std::unordered_map<CURL*, Done> transfers;
};

CurlMulti::CurlMulti(asio::io_context& io) : m_impl(std::make_unique<Impl>(io)) {}
CurlMulti::~CurlMulti() = default;

void CurlMulti::start(CURL* easy, Done done) {
    m_impl->transfers[easy] = std::move(done);
    CURLMcode rc = curl_multi_add_handle(m_impl->multi, easy);
    if (rc != CURLM_OK) {
        auto it = m_impl->transfers.find(easy);
        Done failed = std::move(it->second);
        m_impl->transfers.erase(it);
        asio::post(m_impl->io, [failed = std::move(failed)] { failed(CURLE_FAILED_INIT); });
        return;
    }
    m_impl->start_now();
}

void CurlMulti::cancel(CURL* easy) {
    if (m_impl->transfers.erase(easy) > 0) curl_multi_remove_handle(m_impl->multi, easy);
}

std::size_t CurlMulti::active() const { return m_impl->transfers.size(); }

asio::io_context& CurlMulti::io() const { return m_impl->io; }

}  // namespace cqcwatch
