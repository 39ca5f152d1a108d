#pragma once
// What a lift that the store cannot take says, in the log, the STATUS= line and
// /metrics: why it waits (the store error, in a newsdesk's words) and which lifts
// are overdue. Pure: the lifter and the daemon pass in what they know.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace cqcwatch {

/// A lift later than this after its instant is overdue (the schedule's "late").
inline constexpr std::chrono::seconds k_lift_overdue_after{2};

/// The store error that holds lifts back, as a clause: "the database is locked by another
/// process" (`past`: "was"), "the disk is full", … ; other errors quote their message.
std::string trouble_text(const StoreError& error, bool past);
/// A short key for the error, a metric label: database_locked, disk_full, read_only, store_error.
std::string trouble_key(const StoreError& error);
/// Every value trouble_key can return.
const std::vector<std::string>& trouble_keys();

/// Why a lift came late, for its log line: the daemon was not running at the instant
/// (`started` after `until`), and/or the store held it back (`held_by`), or neither.
std::string late_reason(std::chrono::system_clock::time_point until, std::chrono::system_clock::time_point started,
                        const std::optional<StoreError>& held_by);

/// Pending embargoes whose instant is more than k_lift_overdue_after before `now`.
std::vector<StoredEmbargo> overdue_lifts(const std::vector<StoredEmbargo>& pending,
                                         std::chrono::system_clock::time_point now);

/// The STATUS= clause for overdue lifts ("" when none): "1 lift overdue (due 2026-01-23T00:01:00Z):
/// the database is locked by another process; retrying".
std::string overdue_clause(const std::vector<StoredEmbargo>& overdue, const std::optional<StoreError>& trouble);

}  // namespace cqcwatch
