// spdlog to stderr. The journal format gives each line the "<N>" prefix that
// journald (and systemd's stderr capture) reads as the syslog priority.

#include "config/logging.hpp"

#include <array>
#include <cstdlib>
#include <memory>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace cqcwatch {

namespace {

struct LevelName {
    std::string_view name;
    spdlog::level::level_enum level;
    int priority;  // syslog: 2 crit, 3 err, 4 warning, 6 info, 7 debug
};

constexpr std::array<LevelName, 7> k_levels{{{"trace", spdlog::level::trace, 7},
                                             {"debug", spdlog::level::debug, 7},
                                             {"info", spdlog::level::info, 6},
                                             {"warn", spdlog::level::warn, 4},
                                             {"error", spdlog::level::err, 3},
                                             {"critical", spdlog::level::critical, 2},
                                             {"off", spdlog::level::off, 6}}};

const LevelName* find_level(std::string_view name) {
    for (const LevelName& l : k_levels)
        if (l.name == name) return &l;
    return nullptr;
}

int priority_of(spdlog::level::level_enum level) {
    for (const LevelName& l : k_levels)
        if (l.level == level) return l.priority;
    return 6;
}

// "%*" in the pattern: the sd-daemon prefix for the message's level.
class PriorityFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        const char prefix[] = {'<', static_cast<char>('0' + priority_of(msg.level)), '>'};
        dest.append(prefix, prefix + sizeof prefix);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PriorityFlag>(); }
};

}  // namespace

LogFormat default_log_format() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    return stream && *stream ? LogFormat::journal : LogFormat::text;
}

std::optional<LogFormat> log_format_from_key(std::string_view key) {
    if (key == "journal") return LogFormat::journal;
    if (key == "text") return LogFormat::text;
    if (key == "auto") return default_log_format();
    return std::nullopt;
}

bool is_log_level(std::string_view level) { return find_level(level) != nullptr; }

int syslog_priority(std::string_view level) {
    const LevelName* l = find_level(level);
    return l ? l->priority : 6;
}

void setup_logging(std::string_view level, LogFormat format) {
    auto logger = std::make_shared<spdlog::logger>("cqcwatch", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (format == LogFormat::journal)
        formatter->add_flag<PriorityFlag>('*').set_pattern("%*%v");
    else
        formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [%l] %v");
    logger->set_formatter(std::move(formatter));
    const LevelName* l = find_level(level);
    logger->set_level(l ? l->level : spdlog::level::info);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace cqcwatch
