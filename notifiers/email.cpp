#include "notifiers/email.hpp"

#include <cctype>
#include <cstring>

#include "fetchers/redact.hpp"
#include "notifiers/mime_message.hpp"
#include "parsers/mime_module.hpp"

namespace cqcwatch {

namespace {

DeliveryResult fail(DeliveryFailureKind kind, std::string message) {
    return tl::unexpected(DeliveryFailure{kind, std::move(message), std::nullopt});
}

std::string url_host(const std::string& url) {
    CURLU* u = curl_url();
    std::string host;
    char* h = nullptr;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
        host = h;
        curl_free(h);
    }
    curl_url_cleanup(u);
    return host;
}

bool is_permanent_code(CURLcode code) {
    switch (code) {
        case CURLE_LOGIN_DENIED:              // wrong password: retrying will not fix it
        case CURLE_USE_SSL_FAILED:            // no STARTTLS where we require it
        case CURLE_PEER_FAILED_VERIFICATION:  // a certificate needs a human
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_BAD_FUNCTION_ARGUMENT:
        case CURLE_NOT_BUILT_IN:
        case CURLE_AUTH_ERROR:
            return true;
        default:
            return false;
    }
}

}  // namespace

struct EmailNotifier::Transfer {
    CURL* easy = nullptr;
    curl_slist* rcpt = nullptr;
    std::string message;
    std::size_t offset = 0;
    std::string password;
    char error[CURL_ERROR_SIZE] = {};
    std::string reply;       ///< the server's latest reply ("550-…" lines joined), for errors
    bool reply_done = true;  ///< the latest reply's last line ("550 …") has come
    std::string refusal;     ///< the latest complete 4xx/5xx reply
    Done done;

    // Only what the server sends is kept: our side (AUTH included) never is.
    static int debug(CURL*, curl_infotype type, char* data, std::size_t size, void* self) {
        if (type != CURLINFO_HEADER_IN) return 0;
        auto* t = static_cast<Transfer*>(self);
        std::string line(data, size);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        if (t->reply_done) t->reply.clear();
        if (!t->reply.empty()) t->reply += ' ';
        t->reply += line.size() > 4 && line[3] == '-' ? line.substr(0, 3) + " " + line.substr(4) : line;
        if (t->reply.size() > 400) t->reply.resize(400);
        t->reply_done = !(line.size() > 3 && line[3] == '-');
        // Kept past the QUIT exchange that follows it ("221 Bye" would hide the reason).
        if (t->reply_done && (t->reply[0] == '4' || t->reply[0] == '5')) t->refusal = t->reply;
        return 0;
    }

    ~Transfer() {
        if (easy) curl_easy_cleanup(easy);
        curl_slist_free_all(rcpt);
    }

    static std::size_t read(char* buf, std::size_t size, std::size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        std::size_t len = std::min(size * n, t->message.size() - t->offset);
        std::memcpy(buf, t->message.data() + t->offset, len);
        t->offset += len;
        return len;
    }
};

std::string email_config_problem(const NotifierConfig& c) {
    if (c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
        return "email needs 'smtp_url' starting smtp:// or smtps://";
    if (c.from.empty()) return "email needs 'from'";
    if (c.to.empty()) return "email needs at least one address in 'to'";
    if (!c.username.empty() && !c.password) return "email has 'username' but no 'password_file'";
    return {};
}

std::vector<TemplatePartSpec> email_template_parts(const NotifierConfig&) {
    return {{"subject", true, TemplateEscape::none},
            {"text", true, TemplateEscape::none},
            {"html", false, TemplateEscape::html}};
}

bool smtp_host_is_loopback(const std::string& url) {
    std::string host = url_host(url);
    if (host == "localhost" || host == "[::1]" || host == "::1") return true;
    return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

std::string effective_tls(const NotifierConfig& config) {
    if (config.smtp_url.rfind("smtps://", 0) == 0) return "required";
    if (config.tls != "auto") return config.tls;
    // A local MTA (Debian's Exim) offers STARTTLS with a self-signed certificate it remakes itself.
    return smtp_host_is_loopback(config.smtp_url) ? "opportunistic" : "required";
}

DeliveryResult classify_smtp_result(CURLcode code, long smtp_code, const std::string& detail) {
    // Only a refusal (4xx, 5xx) is worth showing: after a failed TLS handshake the last reply is the
    // server's "220 TLS go ahead", which would read as the cause.
    const bool refusal = smtp_code >= 400;
    const bool said = refusal && detail.find(": " + std::to_string(smtp_code) + " ") != std::string::npos;
    std::string reply = refusal && !said ? " (SMTP " + std::to_string(smtp_code) + ")" : "";
    if (code == CURLE_OK) return std::to_string(smtp_code ? smtp_code : 250);
    std::string msg = detail + reply;
    if (is_permanent_code(code)) return fail(DeliveryFailureKind::permanent, msg);
    // A rejected sender or recipient comes back as a send error; the reply code says whether for good.
    if (smtp_code >= 500 && smtp_code < 600) return fail(DeliveryFailureKind::permanent, msg);
    return fail(DeliveryFailureKind::transient, msg);
}

EmailNotifier::EmailNotifier(NotifierConfig config, CurlMulti& multi, UnixClock unix_now)
    : m_config(std::move(config)), m_multi(multi), m_unix_now(std::move(unix_now)) {
    if (auto t = notifier_template(m_config); t) m_template = std::move(*t);
}

EmailNotifier::~EmailNotifier() {
    for (auto& [easy, t] : m_transfers) m_multi.cancel(easy);
}

std::string EmailNotifier::message_for(const Event& event) const {
    MailMessage m = mail_for_event(event, m_config.from, m_config.to);
    if (m_template) {
        // A subject is one line: the template's line breaks and runs of spaces become one space.
        std::string subject;
        for (char c : m_template->render("subject", event))
            if (!std::isspace(static_cast<unsigned char>(c)) || (!subject.empty() && subject.back() != ' '))
                subject += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
        while (!subject.empty() && subject.back() == ' ') subject.pop_back();
        m.subject = subject;
        m.text = m_template->render("text", event);
        m.html = m_template->has("html") ? m_template->render("html", event) : std::string();
    }
    if (m.date.empty()) m.date = rfc5322_date(m_unix_now());
    if (!m_config.message_id_domain.empty()) m.message_id = message_id_for(event.id, m_config.message_id_domain);
    return build_mime_message(m);
}

void EmailNotifier::configure(Transfer& t) const {
    CURL* e = t.easy;
    const std::string tls = effective_tls(m_config);
    curl_easy_setopt(e, CURLOPT_URL, m_config.smtp_url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USE_SSL,
                     static_cast<long>(tls == "required"        ? CURLUSESSL_ALL
                                       : tls == "opportunistic" ? CURLUSESSL_TRY
                                                                : CURLUSESSL_NONE));
    if (tls == "opportunistic") {
        // Encryption against eavesdroppers without authentication (RFC 7435): nothing to verify against.
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, &Transfer::debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, &t);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    if (!m_config.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, m_config.ca_file.c_str());
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, ("<" + bare_address(m_config.from) + ">").c_str());
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t.rcpt);
    if (!m_config.username.empty()) {
        curl_easy_setopt(e, CURLOPT_USERNAME, m_config.username.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, t.password.c_str());
    }
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::read);
    curl_easy_setopt(e, CURLOPT_READDATA, &t);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(t.message.size()));
    curl_easy_setopt(
        e, CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::min<std::chrono::milliseconds>(m_config.timeout, std::chrono::seconds(10)).count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(m_config.timeout.count()));
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
}

void EmailNotifier::send(const Event& event, Done done) {
    if (auto module = mime::api(); !module) {
        // The alert stays in the outbox and is tried again (the module may be reinstalled meanwhile).
        auto r = fail(DeliveryFailureKind::transient, "cannot write mail: " + module.error());
        asio::post(m_multi.io(), [d = std::move(done), r] { d(r); });
        return;
    }
    auto t = std::make_unique<Transfer>();
    t->easy = curl_easy_init();
    t->message = message_for(event);
    t->done = std::move(done);
    if (m_config.password) t->password = m_config.password->reveal();
    for (const auto& to : m_config.to) t->rcpt = curl_slist_append(t->rcpt, ("<" + bare_address(to) + ">").c_str());
    if (!t->easy || !t->rcpt) {
        auto d = std::move(t->done);
        auto r = fail(DeliveryFailureKind::permanent, t->rcpt ? "curl_easy_init failed" : "no recipients configured");
        asio::post(m_multi.io(), [d = std::move(d), r] { d(r); });
        return;
    }
    configure(*t);
    CURL* easy = t->easy;
    m_transfers.emplace(easy, std::move(t));
    m_multi.start(easy, [this, easy](CURLcode code) { on_done(easy, code); });
}

void EmailNotifier::on_done(CURL* easy, CURLcode code) {
    auto it = m_transfers.find(easy);
    if (it == m_transfers.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    m_transfers.erase(it);
    long smtp_code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &smtp_code);
    std::string curl_said = t->error[0] ? std::string(t->error) : std::string(curl_easy_strerror(code));
    // The server's own words ("550 … header syntax") say more than curl's summary ("Weird server reply").
    std::string detail = "SMTP " + redact_url(m_config.smtp_url) + ": " + curl_said;
    if (!t->refusal.empty() && code != CURLE_OK) {
        // "MAIL failed: 530" -> "MAIL failed: 530 Must issue a STARTTLS command first".
        const auto colon = curl_said.find(": ");
        detail = "SMTP " + redact_url(m_config.smtp_url) + ": " +
                 (colon == std::string::npos ? std::string() : curl_said.substr(0, colon + 2)) + t->refusal;
    }
    t->done(classify_smtp_result(code, smtp_code, detail));
}

}  // namespace cqcwatch
