#pragma once
// Test helpers shared by every test binary: start a loopback server written in Python
// (tests/tools/*.py, run by /usr/bin/python3 for Debian's modules) that prints
// "PORT <n>" as its first stdout line, and talk to it with small blocking requests.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

namespace cqcwatch::test {

/// A Python tool run as a child process for the lifetime of this object.
class PythonServer {
public:
    /// Runs `/usr/bin/python3 args...` and waits (at most 20 s) for its "PORT <n>" line.
    explicit PythonServer(std::vector<std::string> args) {
        int out[2];
        if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("PythonServer: pipe failed");
        m_pid = fork();
        if (m_pid < 0) throw std::runtime_error("PythonServer: fork failed");
        if (m_pid == 0) exec_child(args, out);
        close(out[1]);
        m_stdout = out[0];
        m_port = read_port(args.empty() ? std::string("python3") : args.front());
    }
    ~PythonServer() { stop(); }
    PythonServer(const PythonServer&) = delete;
    PythonServer& operator=(const PythonServer&) = delete;

    /// The port it printed.
    int port() const { return m_port; }
    /// "http://127.0.0.1:<port>"
    std::string base_url(const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + std::to_string(m_port);
    }
    /// SIGTERM, then SIGKILL after 5 s; reaps the child. Safe to call twice.
    void stop() {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            if (!reap_within(std::chrono::seconds(5))) {
                kill(m_pid, SIGKILL);
                reap_within(std::chrono::seconds(5));
            }
            m_pid = -1;
        }
        if (m_stdout >= 0) close(m_stdout);
        m_stdout = -1;
    }

private:
    [[noreturn]] static void exec_child(const std::vector<std::string>& args, int out[2]) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        std::vector<char*> argv;
        std::string python = "/usr/bin/python3";
        argv.push_back(python.data());
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }

    int read_port(const std::string& what) {
        std::string line;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (line.find('\n') == std::string::npos) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p{m_stdout, POLLIN, 0};
            if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                stop();
                throw std::runtime_error(what + ": no PORT line within 20 s");
            }
            char c;
            if (read(m_stdout, &c, 1) != 1) {
                stop();
                throw std::runtime_error(what + ": exited before printing its port");
            }
            line.push_back(c);
        }
        if (line.rfind("PORT ", 0) != 0) {
            stop();
            throw std::runtime_error(what + ": expected 'PORT <n>', got '" + line + "'");
        }
        return std::atoi(line.c_str() + 5);
    }

    bool reap_within(std::chrono::milliseconds limit) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            pid_t r = waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid || r < 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    pid_t m_pid = -1;
    int m_stdout = -1;
    int m_port = 0;
};

/// A finished blocking request: status 0 when no response came.
struct HttpReply {
    long status = 0;
    std::string body;
    std::string error;
    std::string content_type;  ///< the Content-Type header, if any
};

namespace detail {
inline std::size_t append_body(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}
}  // namespace detail

/// A blocking request (10 s limit) for control endpoints; POST when `body` is given.
inline HttpReply http_request(const std::string& url, const std::string* body = nullptr,
                              const std::string& ca_file = "") {
    HttpReply reply;
    CURL* easy = curl_easy_init();
    if (!easy) return {0, {}, "curl_easy_init failed", {}};
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &detail::append_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    if (!ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, ca_file.c_str());
    if (body) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body->c_str());
    }
    CURLcode rc = curl_easy_perform(easy);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
        const char* type = nullptr;
        curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
        if (type) reply.content_type = type;
    } else {
        reply.error = curl_easy_strerror(rc);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    return reply;
}

/// POST a JSON body (blocking, 10 s limit).
inline HttpReply http_post(const std::string& url, const std::string& json, const std::string& ca_file = "") {
    return http_request(url, &json, ca_file);
}

/// GET (blocking, 10 s limit).
inline HttpReply http_get(const std::string& url, const std::string& ca_file = "") {
    return http_request(url, nullptr, ca_file);
}

}  // namespace cqcwatch::test
