#include "daemon/lift_trouble.hpp"

namespace cqcwatch {

std::string trouble_text(const StoreError& error, bool past) {
    const char* is = past ? "was" : "is";
    switch (error.kind) {
        case StoreError::Kind::locked:
            return std::string("the database ") + is + " locked by another process";
        case StoreError::Kind::full:
            return std::string("the disk ") + is + " full";
        case StoreError::Kind::read_only:
            return std::string("the database ") + is + " read-only";
        default:
            return std::string("the store ") + (past ? "failed" : "fails") + ": " + error.message;
    }
}

std::string trouble_key(const StoreError& error) {
    switch (error.kind) {
        case StoreError::Kind::locked:
            return "database_locked";
        case StoreError::Kind::full:
            return "disk_full";
        case StoreError::Kind::read_only:
            return "read_only";
        default:
            return "store_error";
    }
}

const std::vector<std::string>& trouble_keys() {
    static const std::vector<std::string> keys{"database_locked", "disk_full", "read_only", "store_error"};
    return keys;
}

std::string late_reason(std::chrono::system_clock::time_point until, std::chrono::system_clock::time_point started,
                        const std::optional<StoreError>& held_by) {
    std::string out = until < started ? "the daemon was not running" : "";
    if (held_by) out += (out.empty() ? "" : ", then ") + trouble_text(*held_by, true);
    // Running, and the store took it at once: the loop woke late (a suspended machine, a stepped clock).
    return out.empty() ? "the daemon did not wake in time (was the machine suspended, or the clock stepped?)" : out;
}

std::vector<StoredEmbargo> overdue_lifts(const std::vector<StoredEmbargo>& pending,
                                         std::chrono::system_clock::time_point now) {
    std::vector<StoredEmbargo> out;
    const auto limit = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()) - k_lift_overdue_after;
    for (const auto& e : pending)
        if (e.embargo.resolved && e.embargo.until_unix < limit.count()) out.push_back(e);
    return out;
}

std::string overdue_clause(const std::vector<StoredEmbargo>& overdue, const std::optional<StoreError>& trouble) {
    if (overdue.empty()) return "";
    std::string out = std::to_string(overdue.size()) + (overdue.size() == 1 ? " lift" : " lifts") + " overdue (due " +
                      overdue.front().embargo.until_utc + "): ";
    return out + (trouble ? trouble_text(*trouble, false) : "not lifted yet") + "; retrying";
}

}  // namespace cqcwatch
